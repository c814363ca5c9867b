// The layers of /digits unit by unit: each hidden neuron's incoming weights as a picture beside its activation for
// this digit (the MLPs), or each convolution filter's kernel beside its feature map (the CNN). Weights from
// GET /api/digits/models/{name}/weights (DigitWeights), activations from the model's answer.
//
//   const u = DigitUnits(tabs, cards, hint);
//   u.model(name, hiddenLayers);   // [{name, shape}]: one tab per layer that has a weight picture
//   u.show(answer, switches);      // null: weights only
(function () {
  const TILE_GAP = 1;

  function DigitUnits(tabs, cards, hint) {
    let modelName = null, layers = [], current = null, answer = null, weights = null;

    function model(name, hidden) {
      modelName = name;
      // a convolution and an MLP's hidden layers have a picture per unit; the CNN's dense layer (1,568 weights
      // each, from 32 maps) is shown in the intervention panel instead
      layers = hidden.filter(function (l) { return l.shape.length === 3 || !name.startsWith('cnn'); });
      current = layers.length ? layers[0].name : null;
      weights = null;
      tabs.innerHTML = '';
      layers.forEach(function (l) {
        const b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'tab');
        b.dataset.layer = l.name;
        b.textContent = l.name;
        b.addEventListener('click', function () { current = l.name; render(); });
        tabs.appendChild(b);
      });
      DigitWeights.of(name).then(function (w) { if (modelName === name) { weights = w; render(); } });
      render();
    }

    function show(a) {
      answer = a;
      render();
    }

    function render() {
      Array.from(tabs.children).forEach(function (b) { b.setAttribute('aria-selected', String(b.dataset.layer === current)); });
      cards.innerHTML = '';
      cards.dataset.layer = current || '';
      if (!weights || !current) { cards.dataset.units = '0'; return; }
      const w = weights.find(function (l) { return l.layer === current; });
      const layer = layers.find(function (l) { return l.name === current; });
      const acts = answer ? answer.layers.find(function (l) { return l.name === current; }) : null;
      const maps = layer.shape.length === 3;
      const top = acts ? Math.max(1e-6, Math.max.apply(null, acts.activations)) : 1;
      w.incoming.forEach(function (incoming, i) { cards.appendChild(card(w, layer, incoming, i, acts, maps, top)); });
      cards.dataset.units = String(w.incoming.length);
      cards.dataset.filled = acts ? 'true' : 'false';
      hint.textContent = explain(w, layer, maps) + (acts ? '' : ' Draw a digit to see what each unit found in it.');
    }

    function explain(w, layer, maps) {
      const shape = w.neuronShape;
      if (!maps) {
        return shape.length === 2
          ? 'Each of ' + layer.name + '\u2019s ' + w.incoming.length + ' neurons: its 784 weights, one per pixel (blue +, red \u2212), and its activation a for this digit.'
          : 'Each of ' + layer.name + '\u2019s ' + w.incoming.length + ' neurons: its ' + shape[0] + ' weights from the layer before (4 \u00d7 4, in neuron order), and its activation.';
      }
      return shape[2] === 1
        ? 'Each of ' + layer.name + '\u2019s ' + w.incoming.length + ' filters: its 5\u00d75 kernel over the image, and its feature map for this digit (after ReLU and 2\u00d72 max-pooling).'
        : 'Each of ' + layer.name + '\u2019s ' + w.incoming.length + ' filters: a 5\u00d75 kernel for each of the ' + shape[2] + ' maps before it (tiled 4 \u00d7 4), and its feature map.';
    }

    function card(w, layer, incoming, i, acts, maps, top) {
      const fig = document.createElement('figure');
      fig.className = 'unit-card';
      fig.dataset.unit = String(i);
      const pictures = document.createElement('div');
      pictures.className = 'unit-pictures';
      const kernel = document.createElement('canvas');
      kernel.className = 'unit-weights';
      drawWeights(kernel, incoming, w.neuronShape);
      kernel.title = layer.name + ' ' + i + ': weights (bias b = ' + w.biases[i].toFixed(3) + ')';
      pictures.appendChild(kernel);
      const caption = document.createElement('figcaption');
      const name = (maps ? 'filter ' : 'neuron ') + i;
      let text = '';
      if (acts && maps) {
        const map = document.createElement('canvas');
        map.className = 'unit-map';
        const h = layer.shape[0], wd = layer.shape[1], c = layer.shape[2];
        const cells = new Array(h * wd);
        let peak = 0;
        for (let p = 0; p < h * wd; p++) { cells[p] = acts.activations[p * c + i]; peak = Math.max(peak, cells[p]); }
        Heat.draw(map, cells.map(function (v) { return v / top; }), wd, h, Heat.gray);
        map.title = layer.name + ' ' + i + ': feature map, largest a = ' + peak.toFixed(3);
        pictures.appendChild(map);
        text = 'max a = ' + peak.toFixed(2);
        fig.dataset.activation = String(peak);
      } else if (acts) {
        const a = acts.activations[i];
        const bar = document.createElement('span');
        bar.className = 'unit-bar';
        const fill = document.createElement('span');
        fill.style.height = (Math.max(0, a) / (top > 1 ? top : 1) * 100).toFixed(1) + '%';
        bar.appendChild(fill);
        bar.title = layer.name + ' ' + i + ': z = ' + acts.preActivations[i].toFixed(3) + ', a = ' + a.toFixed(3);
        pictures.appendChild(bar);
        text = 'a = ' + a.toFixed(2);
        fig.dataset.activation = String(a);
      }
      [name, text || 'b = ' + w.biases[i].toFixed(2)].forEach(function (line) {
        const span = document.createElement('span');
        span.textContent = line;
        caption.appendChild(span);
      });
      fig.appendChild(pictures);
      fig.appendChild(caption);
      return fig;
    }

    // one unit's incoming weights, scaled by their largest |w|: a 28×28 image, a 4×4 grid of 16, or 5×5 kernels
    // (index (u·5 + v)·in + c) tiled 4 across with a gap
    function drawWeights(canvas, w, shape) {
      const max = Heat.maxAbs(w);
      if (shape.length === 2 || (shape.length === 3 && shape[2] === 1)) {
        Heat.draw(canvas, w.map(function (v) { return v / max; }), shape[1], shape[0], Heat.diverging);
        return;
      }
      if (shape.length === 1) {
        const side = Math.ceil(Math.sqrt(shape[0]));
        const cells = new Array(side * side).fill(0);
        w.forEach(function (v, j) { cells[j] = v / max; });
        Heat.draw(canvas, cells, side, Math.ceil(shape[0] / side), Heat.diverging);
        return;
      }
      const k = shape[0], inputs = shape[2], across = Math.ceil(Math.sqrt(inputs)), down = Math.ceil(inputs / across);
      const width = across * k + (across - 1) * TILE_GAP, height = down * k + (down - 1) * TILE_GAP;
      const cells = new Array(width * height).fill(0);
      w.forEach(function (v, j) {
        const c = j % inputs, pos = Math.floor(j / inputs), u = Math.floor(pos / k), vv = pos % k;
        const ox = (c % across) * (k + TILE_GAP), oy = Math.floor(c / across) * (k + TILE_GAP);
        cells[(oy + u) * width + ox + vv] = v / max;
      });
      Heat.draw(canvas, cells, width, height, Heat.diverging);
    }

    return { model: model, show: show };
  }

  window.DigitUnits = DigitUnits;
})();
