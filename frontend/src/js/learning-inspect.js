// /learning, bottom half: the cost landscape around the trained network, and backprop for one digit.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  let network = null;     // id of the train run whose network we look at
  let digit = null;       // {pixels, label, index}
  let dataset = null;     // the network's own drawings ({classes, examples}), or null for the digits

  document.addEventListener('learning:network', function (e) {
    network = e.detail.id;
    dataset = e.detail.params.dataset || null;
    digit = null;          // a digit's label means nothing to a network of own classes, and back
    const pick = $('pick-digit');
    pick.textContent = dataset ? pick.dataset.own : pick.dataset.mnist;
  });
  document.addEventListener('learning:trained', function (e) {
    network = e.detail.id;
    $('map').disabled = false;
    $('inspect').disabled = false;
    $('landscape-readout').textContent = 'Ready: map the landscape around run ' + network + '.';
    // arrived from a card of the map on one of these panels: fill it with the network just trained
    if (location.hash === '#landscape-panel') $('map').click();
    if (location.hash === '#backprop-panel' || location.hash === '#factors') $('inspect').click();
  });

  function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) throw new Error((data.field ? data.field + ': ' : '') + (data.detail || r.statusText));
          return data;
        });
      });
  }

  // ---- landscape: log C as colour, the training path as a white line ----

  $('map').addEventListener('click', function () {
    $('landscape-readout').textContent = 'Computing…';
    post('/api/learning/landscape', { model: network, resolution: Number($('resolution').value),
      seed: Number($('landscape-seed').value) })
      .then(drawLandscape)
      .catch(function (e) { $('landscape-readout').textContent = e.message; });
  });

  function drawLandscape(l) {
    const n = l.resolution, canvas = $('landscape');
    const logs = [];
    l.grid.forEach(function (row) { row.forEach(function (c) { logs.push(Math.log(c)); }); });
    const lo = Math.min.apply(null, logs), hi = Math.max.apply(null, logs);
    // rows of the grid go up in β; the canvas goes down, so flip
    const flipped = [];
    for (let i = n - 1; i >= 0; i--) for (let j = 0; j < n; j++) flipped.push((logs[i * n + j] - lo) / (hi - lo || 1));
    const small = document.createElement('canvas');
    Heat.draw(small, flipped, n, n, Heat.sequential);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
    const px = function (alpha) { return (alpha + l.range) / (2 * l.range) * canvas.width; };
    const py = function (beta) { return (1 - (beta + l.range) / (2 * l.range)) * canvas.height; };
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 2; ctx.beginPath();
    l.path.forEach(function (p, i) { (i ? ctx.lineTo : ctx.moveTo).call(ctx, px(p.alpha), py(p.beta)); });
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.beginPath(); ctx.arc(px(0), py(0), 5, 0, 2 * Math.PI); ctx.fill();
    const start = l.path[0];
    ctx.strokeStyle = '#fff'; ctx.beginPath(); ctx.arc(px(start.alpha), py(start.beta), 5, 0, 2 * Math.PI); ctx.stroke();
    canvas.dataset.resolution = String(n);
    canvas.dataset.centre = String(l.grid[(n - 1) / 2][(n - 1) / 2]);
    $('landscape-readout').textContent = l.network + ': C at the centre (the trained weights) = ' + l.cost.toFixed(4)
      + ' on ' + l.digits + ' training digits; α, β from −' + l.range.toFixed(2) + ' to ' + l.range.toFixed(2)
      + '; C from ' + Math.exp(lo).toFixed(3) + ' (dark) to ' + Math.exp(hi).toFixed(3) + ' (bright). Circle: start, dot: end.';
  }

  // ---- backprop inspector ----

  $('pick-digit').addEventListener('click', pickDigit);

  // the name of output k: the digit, or the learner's class
  function name(k) {
    return dataset ? '“' + dataset.classes[k] + '”' : String(k);
  }

  function pickDigit() {
    if (dataset) {
      const i = Math.floor(Math.random() * dataset.examples.length), e = dataset.examples[i];
      digit = { pixels: e.pixels.map(Number), label: e.label, index: i };
      drawDigit(digit.pixels);
      $('backprop-readout').textContent = 'Your drawing #' + (i + 1) + ', a ' + name(e.label) + '.';
      return Promise.resolve();
    }
    const index = Math.floor(Math.random() * 10000);  // the official MNIST test set
    return fetch('/api/digits/samples/' + index).then(function (r) { return r.json(); }).then(function (s) {
      digit = s;
      drawDigit(s.pixels);
      $('backprop-readout').textContent = 'Official MNIST test digit #' + s.index + ', labelled ' + s.label + '.';
    });
  }

  function drawDigit(pixels) {
    Heat.draw($('inspect-digit'), pixels, 28, 28, function (v) { const g = Math.round(v * 255); return [g, g, g]; });
  }

  $('inspect').addEventListener('click', function () {
    (digit ? Promise.resolve() : pickDigit()).then(inspect);
  });

  function inspect() {
    post('/api/learning/backprop', {
      model: network, pixels: digit.pixels, label: digit.label,
      weight: { layer: Number($('w-layer').value), row: Number($('w-row').value), col: Number($('w-col').value) }
    }).then(show).catch(function (e) { $('backprop-readout').textContent = e.message; });
  }

  function show(b) {
    const w = b.weight;
    ['dz_dw', 'da_dz', 'dC_da', 'product', 'autodiff', 'finiteDifference'].forEach(function (k) {
      $('f-' + k).textContent = w[k].toExponential(6);
    });
    const table = $('factors');
    table.dataset.ready = 'true';
    table.dataset.autodiff = String(w.autodiff);
    table.dataset.finiteDifference = String(w.finiteDifference);
    $('backprop-readout').textContent = (dataset ? 'Drawing' : 'Digit') + ' labelled ' + name(b.label)
      + ', the network says ' + name(b.prediction)
      + '; cost for this digit C = ' + b.cost.toFixed(4) + '. Weight w' + w.layer + '[' + w.row + '][' + w.col + '] = '
      + w.value.toFixed(4) + ': nudging it by ε changes C by about ' + w.autodiff.toExponential(2) + ' · ε.';
    drawBlame(b);
  }

  function drawBlame(b) {
    const box = $('blame');
    box.innerHTML = '';
    b.layers.forEach(function (layer) {
      const wrap = document.createElement('div');
      wrap.className = 'blame-layer';
      const title = document.createElement('h4');
      title.textContent = 'layer ' + layer.layer + ': ∂C/∂W is ' + layer.rows + '×' + layer.cols;
      wrap.appendChild(title);
      const max = Heat.maxAbs(layer.dC_dW);
      if (layer.cols === 784) {
        // one 28×28 picture per neuron (the first 16): which pixels' weights are blamed, and which way
        for (let j = 0; j < Math.min(16, layer.rows); j++) {
          const c = document.createElement('canvas');
          c.className = 'blame-pixels';
          c.title = 'neuron ' + j + ' — click a pixel to follow its weight';
          Heat.draw(c, layer.dC_dW.slice(j * 784, (j + 1) * 784).map(function (v) { return -v / max; }), 28, 28, Heat.diverging);
          c.addEventListener('click', pickCell(layer.layer, function (x, y) { return [j, y * 28 + x]; }, 28, 28));
          wrap.appendChild(c);
        }
      } else {
        const c = document.createElement('canvas');
        c.className = 'blame-matrix';
        c.title = 'rows: neurons of layer ' + layer.layer + ', columns: neurons of layer ' + (layer.layer - 1);
        Heat.draw(c, layer.dC_dW.map(function (v) { return -v / max; }), layer.cols, layer.rows, Heat.diverging);
        c.addEventListener('click', pickCell(layer.layer, function (x, y) { return [y, x]; }, layer.cols, layer.rows));
        wrap.appendChild(c);
      }
      box.appendChild(wrap);
    });
  }

  // a click on a picture chooses that weight and inspects it
  function pickCell(layer, toRowCol, w, h) {
    return function (e) {
      const r = e.target.getBoundingClientRect();
      const x = Math.min(w - 1, Math.floor((e.clientX - r.left) / r.width * w));
      const y = Math.min(h - 1, Math.floor((e.clientY - r.top) / r.height * h));
      const rc = toRowCol(x, y);
      $('w-layer').value = layer; $('w-row').value = rc[0]; $('w-col').value = rc[1];
      inspect();
    };
  }
})();
