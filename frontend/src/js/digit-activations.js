// The activation function of /digits drawn as a curve, with one dot per hidden unit of this digit at (z, a): the
// pre-activation z and the activation a the model returned. The curve is the formula; the dots are the model's.
//
//   const plot = DigitActivationPlot(canvas, readout, legend);
//   plot.show(answer, 'sigmoid' | 'relu');   // answer: POST /api/digits/classify with preActivations; null: empty
(function () {
  const COLOURS = ['#2f6fdf', '#d2603c', '#1c8a55', '#8a4fd0'];
  const PAD = { left: 38, right: 10, top: 12, bottom: 28 };

  function DigitActivationPlot(canvas, readout, legend) {
    let answer = null, fn = 'sigmoid', dots = [], view = null;

    function f(z) { return fn === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.max(0, z); }

    function show(a, activation) {
      answer = a; fn = activation;
      dots = [];
      if (a) {
        a.layers.slice(1, -1).forEach(function (layer, k) {
          const channels = layer.shape.length === 3 ? layer.shape[2] : 0;
          layer.preActivations.forEach(function (z, i) {
            dots.push({ layer: layer.name, k: k, i: i, z: z, a: layer.activations[i], channels: channels });
          });
        });
      }
      canvas.dataset.dots = String(dots.length);
      draw();
      describe();
    }

    // the z range: this digit's, and at least what shows the function's shape
    function range() {
      let lo = fn === 'sigmoid' ? -6 : -2, hi = fn === 'sigmoid' ? 6 : 4;
      dots.forEach(function (d) { lo = Math.min(lo, d.z); hi = Math.max(hi, d.z); });
      const top = fn === 'sigmoid' ? 1 : Math.max(1, f(hi));
      return { lo: lo - 0.05 * (hi - lo), hi: hi + 0.05 * (hi - lo), top: top * 1.05 };
    }

    function draw() {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.max(200, canvas.clientWidth || 640), height = Math.round(Math.min(300, Math.max(200, width * 0.5)));
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
      canvas.style.height = height + 'px';
      const ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const r = range();
      const x = function (z) { return PAD.left + (z - r.lo) / (r.hi - r.lo) * (width - PAD.left - PAD.right); };
      const y = function (a) { return height - PAD.bottom - a / r.top * (height - PAD.top - PAD.bottom); };
      view = { x: x, y: y };
      // axes: z = 0 and a = 0
      ctx.strokeStyle = '#c8ccd4'; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(x(0), PAD.top); ctx.lineTo(x(0), height - PAD.bottom);
      ctx.moveTo(PAD.left, y(0)); ctx.lineTo(width - PAD.right, y(0)); ctx.stroke();
      ctx.fillStyle = '#5b6478'; ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'left'; ctx.fillText(r.lo.toFixed(1), PAD.left, height - PAD.bottom + 14);
      ctx.textAlign = 'center'; ctx.fillText('0', x(0), height - PAD.bottom + 14);
      ctx.textAlign = 'right'; ctx.fillText(r.hi.toFixed(1), width - PAD.right, height - PAD.bottom + 14);
      ctx.fillText('z', width - PAD.right, height - 4);
      ctx.textAlign = 'right';
      [0, fn === 'sigmoid' ? 1 : r.top / 1.05].forEach(function (a) { ctx.fillText(a.toFixed(1), PAD.left - 4, y(a) + 4); });
      ctx.textAlign = 'left'; ctx.fillText('a', PAD.left + 4, PAD.top + 4);
      // the function itself
      ctx.strokeStyle = '#1d2330'; ctx.lineWidth = 2; ctx.beginPath();
      for (let s = 0; s <= 200; s++) {
        const z = r.lo + (r.hi - r.lo) * s / 200;
        if (s === 0) ctx.moveTo(x(z), y(f(z))); else ctx.lineTo(x(z), y(f(z)));
      }
      ctx.stroke();
      // this digit's units: many cells for a convolution, so smaller and fainter dots
      dots.forEach(function (d) {
        ctx.fillStyle = COLOURS[d.k % COLOURS.length];
        ctx.globalAlpha = d.channels ? 0.35 : 0.85;
        ctx.beginPath(); ctx.arc(x(d.z), y(d.a), d.channels ? 2.5 : 4, 0, 2 * Math.PI); ctx.fill();
      });
      ctx.globalAlpha = 1;
    }

    // per layer: how many units the function squashed flat or clipped, from the returned activations
    function describe() {
      legend.innerHTML = '';
      if (!answer) { readout.textContent = 'Draw a digit: its pre-activations appear on the curve.'; return; }
      answer.layers.slice(1, -1).forEach(function (layer, k) {
        const li = document.createElement('li');
        const key = document.createElement('span');
        key.className = 'act-key';
        key.style.background = COLOURS[k % COLOURS.length];
        const n = layer.activations.length;
        const zs = layer.preActivations;
        const lo = Math.min.apply(null, zs), hi = Math.max.apply(null, zs);
        const unit = layer.shape.length === 3 ? ' cells' : ' neurons';
        let text;
        if (fn === 'sigmoid') {
          const off = layer.activations.filter(function (a) { return a < 0.1; }).length;
          const on = layer.activations.filter(function (a) { return a > 0.9; }).length;
          text = layer.name + ': z from ' + lo.toFixed(2) + ' to ' + hi.toFixed(2) + '; ' + off + ' of ' + n + unit
            + ' squashed near 0, ' + on + ' near 1';
        } else {
          const clipped = layer.activations.filter(function (a) { return a === 0; }).length;
          text = layer.name + ': z from ' + lo.toFixed(2) + ' to ' + hi.toFixed(2) + '; ' + clipped + ' of ' + n + unit
            + ' clipped to 0, the rest kept as they are';
        }
        li.appendChild(key);
        li.appendChild(document.createTextNode(text));
        legend.appendChild(li);
      });
      readout.textContent = 'Hover over (or tap) a dot to read its z and a.';
    }

    function nearest(event) {
      if (!view || !dots.length) return;
      const box = canvas.getBoundingClientRect();
      const px = event.clientX - box.left, py = event.clientY - box.top;
      let best = null, dist = 144;   // within 12 px
      dots.forEach(function (d) {
        const dx = view.x(d.z) - px, dy = view.y(d.a) - py, e = dx * dx + dy * dy;
        if (e < dist) { dist = e; best = d; }
      });
      if (!best) return;
      const where = best.channels ? ' channel ' + (best.i % best.channels) + ', cell ' + Math.floor(best.i / best.channels)
        : ' neuron ' + best.i;
      readout.textContent = best.layer + where + ': z = ' + best.z.toFixed(3) + ' → a = ' + best.a.toFixed(3);
    }

    canvas.addEventListener('mousemove', nearest);
    canvas.addEventListener('click', nearest);
    if (window.ResizeObserver) new ResizeObserver(function () { draw(); }).observe(canvas);
    return { show: show };
  }

  window.DigitActivationPlot = DigitActivationPlot;
})();
