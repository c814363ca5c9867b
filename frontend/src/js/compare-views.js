// The views of /compare, one per kind of run: window.CompareViews[kind](sides, shared) → {types, isStep(type),
// extra(side, type, data), render(side, j), label(side, j), ended(side)?, renderShared(i)?, pace?, unit?} (unit: what
// one step is, 'token'). A side is
// {name: 'A'|'B', params, view (its element), steps (its step events), extras, end}; render draws the side as
// it was at its own step j, from steps[0..j] only. A new kind of run becomes comparable by adding its view here.
(function () {
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function finite(v) {
    const n = Number(v);   // a diverged cost arrives as the string "NaN" or "Infinity"
    return v == null || !isFinite(n) ? null : n;
  }

  function cost(c) {
    const v = finite(c);
    return v == null ? 'not a number' : v.toFixed(4);
  }

  // a side's fixed parts, made once in the order named: 'readout' (a line of numbers) and boxes (div.compare-…)
  function parts(side, names) {
    if (!side.parts) {
      side.parts = {};
      names.forEach(function (n) {
        side.parts[n] = side.view.appendChild(n === 'readout' ? el('p', 'readout compare-readout') : el('div', 'compare-' + n));
      });
    }
    return side.parts;
  }

  function squareImage(canvas, values, colour) {
    const n = Math.round(Math.sqrt(values.length));
    Heat.draw(canvas, values, n, n, colour || Heat.gray);
  }

  // Both runs' curves on one chart, x = training step: value(step event) → y (null: a gap). raise(y) widens the
  // y range as values are drawn; draw() plots each side up to the step it shows (its data-step).
  function curves(sides, shared, title, yLabel, value, lastStep) {
    shared.hidden = false;
    shared.appendChild(el('h2', null, title));
    const box = shared.appendChild(el('div', 'chart compare-chart'));
    box.id = 'compare-chart';
    let highest = 1;
    const x = { time: false };
    if (lastStep) x.range = [0, lastStep];   // the planned steps, when the runs say (train); else as drawn
    const chart = new uPlot({
      width: Math.max(240, box.clientWidth || 520), height: 240,
      scales: { x: x, y: { range: function () { return [0, highest * 1.05]; } } },
      legend: { live: false },
      series: [{ label: 'step' }, { label: 'A', stroke: '#d0542c', width: 2, spanGaps: true },
        { label: 'B', stroke: '#2f6fdf', width: 2, spanGaps: true }],
      axes: [{ label: 'training step' }, { label: yLabel }]
    }, [[], [], []], box);
    window.addEventListener('resize', function () { chart.setSize({ width: Math.max(240, box.clientWidth), height: 240 }); });
    return {
      raise: function (v) { if (finite(v) != null) highest = Math.max(highest, v); },
      draw: function () {
        const tables = sides.map(function (side) {
          const x = [], y = [];
          for (let k = 0; k <= Number(side.el.dataset.step); k++) {
            const m = side.steps[k];
            if (x.length && m.step <= x[x.length - 1]) continue;   // uPlot.join needs increasing x
            x.push(m.step); y.push(value(m));
          }
          return [x, y];
        });
        chart.setData(uPlot.join(tables));
        box.dataset.points = String(tables[0][0].length + tables[1][0].length);
      }
    };
  }

  // the newest of a side's extra events (weight pictures, samples; in step order) at or before step, or null
  function newestAt(list, step) {
    let k = (list || []).length - 1;
    while (k >= 0 && list[k].step > step) k--;
    return k < 0 ? null : k;
  }

  // ---- train: both cost curves on one chart (x = training step), each side's numbers and weight pictures ----
  function train(sides, shared) {
    // a run on the learner's own drawings measures C on them (its params.dataset), the others on 1,000 MNIST digits
    const own = sides.map(function (s) { return !!s.params.dataset; });
    const chart = curves(sides, shared, own[0] && own[1] ? 'Cost C on each run’s training drawings'
      : own[0] || own[1] ? 'Cost C (own drawings: on its training drawings; digits: on 1,000 training digits)'
        : 'Cost C on 1,000 training digits', 'cost C', function (m) { return finite(m.cost); },
    Math.max(sides[0].params.steps || 1, sides[1].params.steps || 1));

    return {
      types: ['metric', 'weights'], pace: 60, unit: 'recorded point',
      isStep: function (type) { return type === 'metric'; },
      extra: function (side, type, data) { (side.extras.weights = side.extras.weights || []).push(data); },
      label: function (side, j) { return 'step ' + side.steps[j].step + ' of ' + side.params.steps; },
      render: function (side, j) {
        const m = side.steps[j], p = parts(side, ['readout', 'weights']);
        chart.raise(m.cost);
        chart.raise(m.batchCost);
        p.readout.textContent = 'step ' + m.step + ' of ' + side.params.steps + ' · C = ' + cost(m.cost) + ' · '
          + (Number(m.accuracy) * 100).toFixed(1) + ' % right on held-out ' + (side.params.dataset ? 'drawings' : 'digits');
        p.readout.dataset.step = String(m.step);
        // the newest weight picture taken at or before this step
        const k = newestAt(side.extras.weights, m.step);
        if (k === null || side.drawnWeights === k) return;
        side.drawnWeights = k;
        const w = side.extras.weights[k];
        w.values.forEach(function (values, n) {
          let c = p.weights.children[n];
          if (!c) {
            c = p.weights.appendChild(el('canvas'));
            c.title = 'neuron ' + n + ' of ' + w.neurons + ': its incoming weights (blue +, red −)';
          }
          Heat.draw(c, values.map(function (v) { return v / 127; }), 28, 28, Heat.diverging);
        });
        p.weights.dataset.step = String(w.step);
      },
      renderShared: chart.draw,
      ended: function (side) {
        const d = side.end.type === 'done' && side.end.data.diagnosis;
        if (d) side.status.textContent += ' ' + d.message;
      }
    };
  }

  // ---- generate: each side's text token by token, and the chosen token's top alternatives ----
  function generate(sides) {
    // p near 1 → pale green (expected), p near 0 → strong orange (a surprising pick), as on /text
    function colour(p) { return 'hsl(' + (20 + 100 * p).toFixed(0) + ', 80%, ' + (70 + 20 * p).toFixed(0) + '%)'; }
    function visible(text) { return text.replace(/\n/g, '↵\n'); }

    return {
      types: ['prompt', 'token'], pace: 150, unit: 'token',
      isStep: function (type) { return type === 'token'; },
      extra: function (side, type, data) { if (type === 'prompt') side.extras.prompt = data.tokens; },
      label: function (side, j) { return 'token ' + j; },
      render: function (side, j) {
        const p = parts(side, ['text', 'readout', 'top']);
        if (side.drawn == null) {
          side.drawn = 0;
          (side.extras.prompt || []).forEach(function (t) {
            p.text.appendChild(el('span', 'compare-prompt', visible(t.text))).title = 'prompt token "' + t.label + '"';
          });
          side.firstToken = p.text.childNodes.length;
        }
        while (side.drawn <= j) {
          const t = side.steps[side.drawn++], s = el('span', 'compare-token', visible(t.text));
          s.style.background = colour(t.p);
          s.title = 'token ' + t.index + ': "' + t.label + '", p = ' + t.p.toFixed(3);
          p.text.appendChild(s);
        }
        while (side.drawn > j + 1) { p.text.lastChild.remove(); side.drawn--; }
        p.text.querySelectorAll('.selected').forEach(function (s) { s.classList.remove('selected'); });
        p.text.lastChild.classList.add('selected');
        p.text.dataset.tokens = String(side.drawn);
        const t = side.steps[j];
        p.readout.textContent = 'token ' + t.index + ': “' + t.label + '”, p = ' + t.p.toFixed(3)
          + ' (the model’s probability at T = 1). Its top alternatives:';
        p.top.textContent = '';
        (t.top || []).forEach(function (alt) {
          const row = p.top.appendChild(el('div', 'compare-bar' + (alt.id === t.id ? ' compare-chosen' : '')));
          row.appendChild(el('span', 'compare-bar-label', alt.label));
          const track = row.appendChild(el('span', 'compare-bar-track'));
          track.appendChild(el('span', 'compare-bar-fill')).style.width = (alt.p * 100).toFixed(1) + '%';
          row.appendChild(el('span', 'compare-bar-value', alt.p.toFixed(3)));
        });
      }
    };
  }

  // ---- diffuse: each side's x_t and x̂₀ at its step, and its final image at the last one ----
  function diffuse() {
    function frame(into, caption) {
      const f = into.appendChild(el('figure', 'compare-frame'));
      const c = f.appendChild(el('canvas'));
      f.appendChild(el('figcaption', null, caption));
      return c;
    }
    return {
      types: ['step'], pace: 120, unit: 'step',
      isStep: function (type) { return type === 'step'; },
      extra: function () {},
      label: function (side, j) { return 't = ' + side.steps[j].t; },
      render: function (side, j) {
        const p = parts(side, ['readout', 'frames']);
        if (!side.canvases) {
          side.canvases = { x: frame(p.frames, 'x_t'), x0: frame(p.frames, 'x̂₀ (its guess of the image)'),
            final: frame(p.frames, 'final image') };
        }
        const s = side.steps[j];
        p.readout.textContent = 'step ' + (s.index + 1) + ' of ' + side.params.steps + ' · t = ' + s.t;
        squareImage(side.canvases.x, s.x);
        squareImage(side.canvases.x0, s.x0);
        const last = side.end && side.end.type === 'done' && j === side.steps.length - 1;
        if (last) squareImage(side.canvases.final, side.end.data.image);
        side.canvases.final.parentNode.hidden = !last;
      }
    };
  }

  // ---- train-text: both loss curves on one chart (x = training step), each side's newest sample at its step ----
  function trainText(sides, shared) {
    const chart = curves(sides, shared, 'Loss (nats per token) on the training text', 'loss',
      function (m) { return finite(m.loss); }, null);

    return {
      types: ['metric', 'sample'], pace: 60, unit: 'recorded point',
      isStep: function (type) { return type === 'metric'; },
      extra: function (side, type, data) { (side.extras.samples = side.extras.samples || []).push(data); },
      label: function (side, j) { return 'step ' + side.steps[j].step; },
      render: function (side, j) {
        const m = side.steps[j], p = parts(side, ['readout', 'text']);
        chart.raise(m.loss);
        p.readout.textContent = 'step ' + m.step + ' · ' + m.seconds.toFixed(1) + ' s · loss ' + cost(m.loss)
          + ' · ' + m.tokens.toLocaleString('en') + ' tokens seen';
        p.readout.dataset.step = String(m.step);
        // the newest sample the model wrote at or before this step
        const k = newestAt(side.extras.samples, m.step), sample = k === null ? null : side.extras.samples[k];
        p.text.classList.add('compare-text');
        p.text.textContent = sample ? 'after ' + sample.step + ' steps: ' + sample.text : 'No sample yet.';
        p.text.dataset.sampleStep = sample ? String(sample.step) : '';
      },
      renderShared: chart.draw,
      ended: function (side) {
        const d = side.end.type === 'done' && side.end.data;
        if (d && d.heldOutBitsPerChar != null) {
          side.status.textContent += ' Held-out bits per character: ' + Number(d.startBitsPerChar).toFixed(2) + ' untrained → '
            + Number(d.heldOutBitsPerChar).toFixed(2) + ' trained.';
        }
      }
    };
  }

  // ---- classify: each side's layer, and its prediction once it is there ----
  function classify() {
    return {
      types: ['layer'], pace: 400, unit: 'layer',
      isStep: function (type) { return type === 'layer'; },
      extra: function () {},
      label: function (side, j) { return 'layer ' + side.steps[j].index + ' ' + side.steps[j].name; },
      render: function (side, j) {
        const p = parts(side, ['readout', 'layer']), l = side.steps[j];
        let max = 0;
        l.activations.forEach(function (v) { max = Math.max(max, Math.abs(v)); });
        p.readout.textContent = 'layer ' + l.index + ': ' + l.name + ' (' + l.shape.join(' × ') + ') · largest |a| = '
          + max.toFixed(3);
        const done = side.end && side.end.type === 'done' && j === side.steps.length - 1;
        p.layer.textContent = done ? 'prediction: ' + side.end.data.prediction : '';
      }
    };
  }

  // a kind without a side-by-side view yet: say so; the params table and both runs' links still help
  function unknown(sides) {
    sides.forEach(function (side) {
      side.view.appendChild(el('p', 'hint', 'Runs of this kind have no side-by-side view yet: open the run from its link.'));
    });
    return { types: [], isStep: function () { return false; }, extra: function () {}, label: function () { return ''; },
      render: function () {} };
  }

  window.CompareViews = { train: train, 'train-text': trainText, generate: generate, diffuse: diffuse, classify: classify,
    unknown: unknown };
})();
