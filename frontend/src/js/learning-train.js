// /learning, top half. A `train` run streams `metric` points and `weights` pictures; the run player shows it one
// recorded point at a time (a step = one metric point), so a learner can pause and scrub back while it trains.
// The race starts gradient descent and SGD together (POST /api/runs/batch: both or neither) and plays both curves.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const page = $('learning');
  const trainingSize = Number(page.dataset.trainingSize);
  const PACE = 60;         // ms per point at 1×: a run's ~100 points play in ~6 s
  const RACE_PACE = 40;    // the race has two runs' points, ~160 in all

  function cost(c) {
    const v = Number(c);   // a diverged cost arrives as the string "NaN" or "Infinity"
    return isFinite(v) ? v.toFixed(4) : (isNaN(v) ? 'not a number' : 'infinite');
  }

  function percent(a) {
    return (Number(a) * 100).toFixed(1) + ' %';
  }

  function finite(v) {
    const n = Number(v);
    return v == null || !isFinite(n) ? null : n;
  }

  // ---- the form; η follows the activation's default until the learner types their own ----

  let etaEdited = false;
  $('learning-rate').addEventListener('input', function () { etaEdited = true; });
  $('activation').addEventListener('change', function () {
    if (!etaEdited) $('learning-rate').value = this.selectedOptions[0].dataset.learningRate;
  });

  function params(overrides) {
    const p = {
      hidden: $('hidden').value.split(',').map(function (s) { return Number(s.trim()); }),
      activation: $('activation').value,
      learningRate: Number($('learning-rate').value),
      batchSize: Number($('batch-size').value),
      steps: Number($('steps').value),
      seed: Number($('seed').value)
    };
    return Object.assign(p, overrides || {});
  }

  function fill(p) {
    $('hidden').value = (p.hidden || []).join(',');
    $('activation').value = p.activation;
    $('learning-rate').value = p.learningRate;
    $('batch-size').value = p.batchSize;
    $('steps').value = p.steps;
    $('seed').value = p.seed;
    etaEdited = true;      // the shared run's η stays, whatever the activation's default
  }

  // ---- charts ----

  // x from 0 to the run's last step (so the curve grows across a fixed axis), y from 0 to the highest cost seen;
  // `cursor()` gives the x of the shown point, drawn as a vertical line.
  function chart(el, series, xLabel, options) {
    const o = options || {};
    const u = new uPlot({
      width: Math.max(240, el.clientWidth || 520), height: 240,
      scales: {
        x: o.xLog ? { time: false, distr: 3 } : { time: false, range: o.xRange },
        y: { range: o.yRange },
        acc: { range: [0, 1] }
      },
      legend: { live: false },   // the readout and the player say the values; the legend names the lines
      series: [{ label: xLabel }].concat(series),
      axes: [{ label: xLabel }, { label: 'cost C' }].concat(series.some(function (s) { return s.scale === 'acc'; })
        ? [{ scale: 'acc', side: 1, grid: { show: false }, label: 'accuracy' }] : []),
      hooks: o.cursor ? { draw: [function (u) {
        const x = o.cursor();
        if (x == null) return;
        const left = u.valToPos(x, 'x', true);
        u.ctx.save();
        u.ctx.strokeStyle = '#d0542c'; u.ctx.lineWidth = 2 * devicePixelRatio;
        u.ctx.beginPath(); u.ctx.moveTo(left, u.bbox.top); u.ctx.lineTo(left, u.bbox.top + u.bbox.height); u.ctx.stroke();
        u.ctx.restore();
      }] } : {}
    }, [[]].concat(series.map(function () { return []; })), el);
    window.addEventListener('resize', function () { u.setSize({ width: Math.max(240, el.clientWidth), height: 240 }); });
    return u;
  }

  // ---- the watched run: steps = its metric points; pictures = its weights events, found by step ----

  let current = null;      // the run shown: {id, params, links}
  let pictures = [];       // its `weights` events in arrival order (steps never decrease), ~1 a second
  let drawnPicture = -1;
  let ending = null;       // {type, data} once done / error / cancelled arrived
  let lastStep = 1;        // the run's step count: the x axis's end
  let highest = 1;         // the highest cost among the points received: the y axis's top
  let cursorStep = null;

  const costChart = chart($('cost-chart'), [
    { label: 'C (1,000 training digits)', stroke: '#2f6fdf', width: 2 },
    { label: 'mini-batch C', stroke: '#b7c4dd', width: 1 },
    { label: 'validation accuracy', stroke: '#1c8a55', scale: 'acc', width: 2 }
  ], 'step', {
    xRange: function () { return [0, lastStep]; },
    yRange: function () { return [0, highest * 1.05]; },
    cursor: function () { return cursorStep; }
  });

  const player = RunPlayer($('train-player'), {
    pace: PACE,
    render: render,
    label: function (steps, i) {
      return 'point ' + (i + 1) + ' of ' + steps.length + ' · step ' + steps[i].step + ' of ' + lastStep;
    }
  });

  // The run as it was at its i-th point: the curve up to it, its numbers, the weights as they were then.
  function render(steps, i) {
    const shown = steps.slice(0, i + 1);
    const m = steps[i];
    cursorStep = m.step;
    costChart.setData([shown.map(function (s) { return s.step; }),
      shown.map(function (s) { return finite(s.cost); }),
      shown.map(function (s) { return finite(s.batchCost); }),
      shown.map(function (s) { return finite(s.accuracy); })]);
    $('cost-chart').dataset.points = String(shown.length);
    const readout = $('train-readout');
    readout.textContent = 'step ' + m.step + ' of ' + lastStep + ' · ' + Number(m.examples).toLocaleString('en')
      + ' ' + noun() + ' seen · C = ' + cost(m.cost) + ' · ' + percent(m.accuracy) + ' right on held-out ' + noun() + ' · '
      + Number(m.seconds).toFixed(2) + ' s computing';
    readout.dataset.step = String(m.step);
    drawPictures(m.step);
    showDiagnosis(ending && i === steps.length - 1);
  }

  // what the watched run learns from: the MNIST digits or the learner's own drawings
  function noun() {
    return current && current.params.dataset ? 'drawings' : 'digits';
  }

  // The legend and the hint above the chart say what C and the accuracy are measured on: 1,000 training digits and
  // the held-out digits, or the learner's own training and held-out drawings.
  const digitsMeasuredOn = $('measured-on').textContent;
  function nameCost() {
    const own = current && current.params.dataset;
    const labels = $('cost-chart').querySelectorAll('.u-legend .u-label');
    if (labels.length === 3) {
      labels[0].textContent = own ? 'C (its training drawings)' : 'C (1,000 training digits)';
      labels[2].textContent = own ? 'held-out accuracy' : 'validation accuracy';
    }
    $('measured-on').textContent = own
      ? 'This run learns from your own drawings: C is measured on its training drawings, accuracy on its held-out ones.'
      : digitsMeasuredOn;
  }

  // the newest picture taken at or before this step
  function drawPictures(step) {
    let k = pictures.length - 1;
    while (k >= 0 && pictures[k].step > step) k--;
    if (k < 0 || k === drawnPicture) return;
    drawnPicture = k;
    const w = pictures[k], box = $('weight-pictures');
    w.values.forEach(function (values, j) {
      let c = box.children[j];
      if (!c) {
        c = document.createElement('canvas');
        c.title = 'neuron ' + j + ' of ' + w.neurons;
        box.appendChild(c);
      }
      Heat.draw(c, values.map(function (v) { return v / 127; }), 28, 28, Heat.diverging);
    });
    box.dataset.step = String(w.step);
  }

  // Learned, stuck or diverging: the server's verdict from the run's own metrics, shown with the last point.
  function showDiagnosis(show) {
    const box = $('train-diagnosis');
    const d = show && ending.type === 'done' ? ending.data.diagnosis : null;
    box.hidden = !d;
    if (!d) return;
    box.textContent = d.message;
    box.dataset.verdict = d.verdict;
    box.className = 'learning-diagnosis learning-' + d.verdict;
  }

  function watch(run) {
    current = run;
    pictures = []; drawnPicture = -1; ending = null; cursorStep = null;
    lastStep = run.params.steps || 1; highest = 1;
    costChart.setData([[], [], [], []]);
    $('cost-chart').dataset.points = '0';
    $('weight-pictures').innerHTML = '';
    $('weight-pictures').dataset.step = '-1';
    $('train-readout').dataset.step = '-1';
    showDiagnosis(false);
    nameCost();
    player.reset();
    // only the session that started a run may stop it: a share link's viewer watches it without a Stop
    $('stop').hidden = !run.owned;
    $('stop').disabled = !run.owned;
    $('start').disabled = true;
    const status = $('train-status');
    status.textContent = 'Run ';
    status.append(link(run.links.self, run.id), ' · share: ', link(run.links.share, run.links.share), ' · ',
      link('/compare?a=' + encodeURIComponent(run.id), 'compare with…'));
    document.dispatchEvent(new CustomEvent('learning:network', { detail: { id: run.id, params: run.params } }));
  }

  function link(href, text) {
    const a = document.createElement('a');
    a.href = href; a.textContent = text;
    return a;
  }

  function ended(type, data) {
    if (starting) {
      // refused before it started (bad input): say so alone, not after the previous run's status
      starting = false;
      $('train-status').textContent = 'Could not start: ' + (data.message || data.reason || type);
      return;
    }
    ending = { type: type, data: data };
    $('stop').disabled = true;
    $('start').disabled = false;
    $('train-status').append(' · ' + (type === 'done' ? 'done' : type + ': ' + (data.message || data.reason || '')));
    player.finish();
    const steps = player.steps();
    if (steps.length && player.shown() === steps.length - 1) render(steps, steps.length - 1);
    page.dataset.trained = current ? current.id : '';
    if (current) {
      document.dispatchEvent(new CustomEvent('learning:trained', { detail: { id: current.id, params: current.params,
        done: type === 'done' ? data : null } }));
    }
  }

  const handlers = {
    types: ['metric', 'weights'],
    onEvent: function (type, data) {
      if (type === 'metric') {
        [data.cost, data.batchCost].forEach(function (c) { if (finite(c) != null) highest = Math.max(highest, c); });
        player.push(data);
      } else {
        pictures.push(data);
        const i = player.shown();
        if (i >= 0) drawPictures(player.steps()[i].step);
      }
    },
    onEnd: ended,
    onBusy: function (s) {
      if (!autoStarted) {
        $('train-status').textContent = 'Every training slot is taken; try again in ' + s + ' s.';
        return;
      }
      // started for the learner by the page (opened from a card of the map): keep the promise and try again then
      $('train-status').textContent = 'Every training slot is taken; trying again in ' + s + ' s.';
      setTimeout(function () { $('train-form').requestSubmit(); }, s * 1000);
    }
  };

  let starting = false;   // between a submit and its run's first answer

  $('train-form').addEventListener('submit', function (e) {
    e.preventDefault();
    const bad = $('hidden').value.split(',').map(function (s) { return s.trim(); })
      .find(function (s) { return !/^[0-9]+$/.test(s) || Number(s) < 1 || Number(s) > 256; });
    if (bad !== undefined) {
      $('train-status').textContent = 'Hidden layers: “' + bad + '” is not a width of 1..256 (e.g. 16,16).';
      return;
    }
    start(params());
  });

  function start(p) {
    starting = true;
    RunStream.start('train', p, handlers).then(function (run) { starting = false; if (run) watch(run); })
      .catch(function (err) { starting = false; $('train-status').textContent = 'Could not start: ' + err.message; });
  }

  // "Train on my drawings" (learning-own.js): the form's settings on the learner's data set; m at most the
  // drawings trained on (detail.trainingCount), so a small data set does not need a smaller m typed first.
  document.addEventListener('learning:train-own', function (e) {
    const p = params({ dataset: e.detail.dataset });
    p.batchSize = Math.min(p.batchSize, e.detail.trainingCount);
    start(p);
  });

  $('stop').addEventListener('click', function () {
    if (current) fetch('/api/runs/' + current.id, { method: 'DELETE' });
  });

  // /learning?run=ID (and the share link /r/ID) replays a recorded run from its first point at the player's
  // pace, reading all its events at once; a run still training is joined live.
  const shared = new URLSearchParams(location.search).get('run');
  if (shared) {
    fetch('/api/runs/' + encodeURIComponent(shared)).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (!run || run.kind !== 'train') {
          $('train-status').textContent = 'No training run has the id ' + shared + '.';
          return;
        }
        fill(run.params);
        watch(run);
        RunStream.follow(run.links.events, handlers);
      });
  }

  // Arriving from a card of the map (/learning#backprop-panel) on a panel that needs a trained network: train
  // the default one at once, so the learner watches the cost fall and then sees the panel filled from it.
  const NEEDS_A_NETWORK = ['#train-panel', '#landscape-panel', '#backprop-panel', '#factors'];
  const autoStarted = !shared && NEEDS_A_NETWORK.indexOf(location.hash) >= 0;
  if (autoStarted) $('train-form').requestSubmit();

  // ---- the race: GD (m = every training digit) against SGD (its own m), same seed, η and layers ----

  const raceSeries = [{ label: 'gradient descent', stroke: '#d0542c', width: 2, spanGaps: true },
    { label: 'SGD', stroke: '#2f6fdf', width: 2, spanGaps: true }];
  // examples on a log axis: GD sees every digit each step, so linear axes squash SGD into the corner
  const raceExamples = chart($('race-examples'), raceSeries, 'examples seen (log)', { xLog: true });
  const raceSeconds = chart($('race-seconds'), raceSeries, 'seconds', {});
  const NAMES = ['GD', 'SGD'];
  let racing = null;       // {ended: [..2]} for the race shown

  // Race steps are both runs' points in the order they arrived: {run: 0 (GD) | 1 (SGD), m}.
  const racePlayer = RunPlayer($('race-player'), {
    pace: RACE_PACE,
    render: renderRace,
    label: function (steps, i) {
      const at = lastPoints(steps, i);
      return 'point ' + (i + 1) + ' of ' + steps.length + ' · ' + NAMES.map(function (n, r) {
        return n + (at[r] ? ' step ' + at[r].step + ', C = ' + cost(at[r].cost) : ' not started');
      }).join(' · ');
    }
  });

  function lastPoints(steps, i) {
    const at = [null, null];
    for (let k = 0; k <= i; k++) at[steps[k].run] = steps[k].m;
    return at;
  }

  function renderRace(steps, i) {
    const race = [{ examples: [], seconds: [], cost: [] }, { examples: [], seconds: [], cost: [] }];
    for (let k = 0; k <= i; k++) {
      const r = race[steps[k].run], m = steps[k].m;
      // uPlot.join needs strictly increasing x; skip a repeated point
      if (r.examples.length && m.examples <= r.examples[r.examples.length - 1]) continue;
      r.examples.push(m.examples); r.seconds.push(m.seconds); r.cost.push(finite(m.cost));
    }
    ['examples', 'seconds'].forEach(function (x) {
      // log axis: leave out step 0 (0 examples) on the examples chart
      const from = x === 'examples' ? 1 : 0;
      const tables = race.map(function (r) { return [r[x].slice(from), r.cost.slice(from)]; });
      (x === 'examples' ? raceExamples : raceSeconds).setData(uPlot.join(tables));
      const el = $('race-' + x);
      el.dataset.points = String(race[0].cost.length + race[1].cost.length);
      el.dataset.gdPoints = String(race[0].cost.length);
      el.dataset.sgdPoints = String(race[1].cost.length);
    });
  }

  function raceEnded(i, type, data) {
    racing.ended[i] = true;
    const last = type === 'done' && data.last;
    $('race-status').append(' ' + NAMES[i] + ' ' + type + (last ? ': C = ' + cost(last.cost) + ' after '
      + Number(last.examples).toLocaleString('en') + ' digits seen, ' + Number(last.seconds).toFixed(2) + ' s.' : '.'));
    if (racing.ended[0] && racing.ended[1]) {
      racePlayer.finish();
      $('race').disabled = false;
    }
  }

  $('race').addEventListener('click', function () {
    const gd = params({ batchSize: trainingSize, steps: Number($('race-gd-steps').value) });
    const sgd = params({ batchSize: Number($('race-sgd-batch').value), steps: Number($('race-sgd-steps').value) });
    $('race').disabled = true;
    const status = $('race-status');
    status.textContent = 'Starting both…';
    const each = [0, 1].map(function (i) {
      return {
        types: ['metric'],
        onEvent: function (type, m) { racePlayer.push({ run: i, m: m }); },
        onEnd: function (type, data) { raceEnded(i, type, data); }
      };
    });
    RunStream.startAll([{ kind: 'train', params: gd }, { kind: 'train', params: sgd }], each, function (seconds, message) {
      $('race').disabled = false;
      status.dataset.refused = 'true';
      if (!raceAutoStarted || !seconds) {   // seconds: a 429's Retry-After (0 for bad input)
        status.textContent = 'Neither run started. ' + message;   // a 429 says when to try again
        return;
      }
      // started for the learner by the page (the map's SGD card): like the training above, try again then
      status.textContent = 'Neither run started. ' + message + ' Trying again in ' + seconds + ' s.';
      setTimeout(function () { $('race').click(); }, seconds * 1000);
    }).then(function (runs) {
      if (!runs) return;
      racing = { ended: [false, false] };
      racePlayer.reset();
      $('race-player').hidden = false;
      status.dataset.refused = 'false';
      status.textContent = 'GD: m = ' + trainingSize + ', ' + gd.steps + ' steps; SGD: m = ' + sgd.batchSize + ', '
        + sgd.steps + ' steps (runs ' + runs[0].id + ', ' + runs[1].id + ').';
    }).catch(function (err) {
      $('race').disabled = false;
      status.textContent = 'Could not start the race: ' + err.message;
    });
  });
  const raceAutoStarted = !shared && location.hash === '#race-panel';   // from the map's SGD card
  if (raceAutoStarted) $('race').click();
})();
