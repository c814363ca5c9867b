// The network of /digits drawn as the series draws it: columns of neurons (input → hidden layers → output),
// with the connections between layers, their colour the sign of the real weight (blue +, red −) and their
// strength its size. show(steps, index) lights layers 0..index from a run's `layer` steps and dims the rest.
//
//   const view = DigitNetworkView(root, { onNeuron(layerName, i) });
//   view.build(layers);           // a model's [{name, shape}], input first: lays out every layer, empty
//   view.weights(layerWeights);   // GET /api/digits/models/{name}/weights, for the connections
//   view.show(steps, index);      // index −1: nothing computed yet
(function () {
  const $ = function (id) { return document.getElementById(id); };
  // Connections drawn per pair of layers: all of them when both sides are small, else each neuron's strongest.
  const ALL_UP_TO = 16, BUDGET = 160, MAX_PER_NEURON = 4;

  function el(tag, className) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    return e;
  }

  function DigitNetworkView(root, options) {
    const wires = $('wires');
    const columns = $('hidden-layers');
    const outputs = $('outputs');
    let layers = [];                               // [{name, shape}] input first, output last
    let links = [];                                // per layer k ≥ 1: [{from, to, w}] into layer k
    let lastIndex = -1;

    // ---- the skeleton: every layer's units, empty until computed ----

    function build(modelLayers) {
      layers = modelLayers;
      links = [];
      columns.innerHTML = '';
      layers.slice(1, -1).forEach(function (layer, k) {
        const box = el('div', 'net-layer');
        box.dataset.layer = layer.name;
        box.dataset.index = String(k + 1);
        const title = el('h3');
        title.textContent = layer.name + ' ';
        const small = el('small');
        small.textContent = layer.shape.join('×');
        title.appendChild(small);
        box.appendChild(title);
        const maps = layer.shape.length === 3;
        const count = maps ? layer.shape[2] : layer.shape[0];
        const body = el('div', maps ? (count > 16 ? 'heat-maps heat-maps-small' : 'heat-maps')
          : count > 32 ? 'net-neurons net-dense' : 'net-neurons');
        for (let i = 0; i < count; i++) body.appendChild(unit(layer, i, maps, layer.shape[0] > 32));
        box.appendChild(body);
        columns.appendChild(box);
      });
      outputs.innerHTML = '';
      for (let d = 0; d < 10; d++) {
        const row = el('li');
        row.innerHTML = '<span class="net-digit">' + d + '</span><span class="net-bar"><span></span></span><span class="net-p"></span>';
        outputs.appendChild(row);
      }
      show([], -1);
    }

    function unit(layer, i, maps, dense) {
      let u;
      if (maps) {
        u = el('canvas', 'heat-map');
        u.width = layer.shape[1]; u.height = layer.shape[0];
        u.tabIndex = 0;
      } else if (dense) {
        u = el('span', 'net-neuron');            // 128 of them: too small to tap, hover shows the weights
      } else {
        u = el('button', 'net-neuron');
        u.type = 'button';
      }
      u.setAttribute('aria-label', layer.name + (maps ? ' map ' : ' neuron ') + i);
      u.addEventListener('mouseenter', function () { options.onNeuron(layer.name, i); });
      u.addEventListener('focus', function () { options.onNeuron(layer.name, i); });
      return u;
    }

    function units(k) {
      if (k === 0) return null; // the input grid: units are its pixels
      if (k === layers.length - 1) return Array.from(outputs.querySelectorAll('.net-digit'));
      return Array.from(columns.children[k - 1].lastChild.children);
    }

    // ---- filling in a layer's activations (or emptying it) ----

    function fill(k, step) {
      const layer = layers[k];
      if (k === 0) {
        const grid = $('input-grid');
        if (step) Heat.draw(grid, step.activations, 28, 28, Heat.gray);
        else Heat.draw(grid, new Array(784).fill(0), 28, 28, Heat.gray);
        grid.classList.toggle('net-dim', !step);
        return;
      }
      if (k === layers.length - 1) return fillOutputs(step);
      const box = columns.children[k - 1];
      box.classList.toggle('net-dim', !step);
      const list = units(k);
      if (layer.shape.length === 3) {
        const h = layer.shape[0], w = layer.shape[1], c = layer.shape[2];
        const max = step ? Math.max(1e-6, Math.max.apply(null, step.activations)) : 1;
        list.forEach(function (map, m) {
          const channel = new Array(h * w);
          for (let p = 0; p < h * w; p++) channel[p] = step ? step.activations[p * c + m] / max : 0;
          Heat.draw(map, channel, w, h, Heat.gray);
          if (step) map.dataset.activation = String(Math.max.apply(null, channel)); else delete map.dataset.activation;
        });
        return;
      }
      // sigmoid activations are already 0..1; ReLU ones are shown relative to the layer's largest
      const acts = step ? step.activations : [];
      const scale = acts.every(function (a) { return a <= 1; }) ? 1 : Math.max.apply(null, acts);
      list.forEach(function (n, i) {
        if (!step) {
          n.style.background = '';
          delete n.dataset.activation;
          n.title = layer.name + ' neuron ' + i + ': not computed yet';
          return;
        }
        n.style.background = Heat.gray(Math.min(1, acts[i] / scale)).toString();
        n.dataset.activation = acts[i].toFixed(4);
        n.title = layer.name + ' neuron ' + i + ': activation ' + acts[i].toFixed(3);
      });
    }

    function fillOutputs(step) {
      const p = step ? step.activations : null;
      const best = p ? p.indexOf(Math.max.apply(null, p)) : -1;
      outputs.classList.toggle('net-dim', !p);
      Array.from(outputs.children).forEach(function (row, d) {
        row.querySelector('.net-bar span').style.width = p ? (p[d] * 100).toFixed(1) + '%' : '0';
        row.querySelector('.net-p').textContent = p ? (p[d] * 100).toFixed(1) + ' %' : '';
        row.classList.toggle('net-best', d === best);
      });
    }

    // ---- connections ----

    // Each target unit's incoming weight from each source unit: a pixel, a neuron, or a whole feature map
    // (a conv kernel's 5×5 weights from that map, or a dense neuron's weights from that map's positions,
    // summed: their net pull on the target).
    function incoming(target, weights) {
      const shape = weights.neuronShape;
      if (shape.length === 3) {                  // (5, 5, in) kernel, row-major: index (u·5 + v)·in + c
        const per = new Array(shape[2]).fill(0);
        target.forEach(function (w, j) { per[j % shape[2]] += w; });
        return per;
      }
      return target;
    }

    function weights(layerWeights) {
      links = [];
      for (let k = 1; k < layers.length; k++) {
        const lw = layerWeights.find(function (l) { return l.layer === layers[k].name; });
        const source = layers[k - 1];
        const channels = source.shape.length === 3 && lw.neuronShape.length === 1 ? source.shape[2] : 0;
        const perTarget = lw.incoming.map(function (target) {
          if (!channels) return incoming(target, lw);
          const per = new Array(channels).fill(0);  // dense after conv: flattened (h, w, c), index p·c + ch
          target.forEach(function (w, j) { per[j % channels] += w; });
          return per;
        });
        const sources = perTarget[0].length, targets = perTarget.length;
        const keep = sources <= ALL_UP_TO && targets <= ALL_UP_TO ? sources
          : Math.max(1, Math.min(MAX_PER_NEURON, Math.floor(BUDGET / targets)));
        const list = [];
        perTarget.forEach(function (ws, to) {
          const order = ws.map(function (w, from) { return from; })
            .sort(function (a, b) { return Math.abs(ws[b]) - Math.abs(ws[a]); });
          order.slice(0, keep).forEach(function (from) { list.push({ from: from, to: to, w: ws[from] }); });
        });
        links[k] = list;
      }
      draw();
    }

    function centre(rect, box) {
      return { x: rect.left + rect.width / 2 - box.left, y: rect.top + rect.height / 2 - box.top };
    }

    function anchor(k, i, box, cache) {
      if (k === 0) {
        const r = cache.grid || (cache.grid = $('input-grid').getBoundingClientRect());
        const sourceLayer = layers[1];
        if (sourceLayer.shape.length === 3) return centre(r, box);   // a kernel reads the whole image
        return { x: r.left - box.left + ((i % 28) + 0.5) * r.width / 28, y: r.top - box.top + (Math.floor(i / 28) + 0.5) * r.height / 28 };
      }
      const list = cache[k] || (cache[k] = units(k).map(function (u) { return u.getBoundingClientRect(); }));
      return centre(list[i], box);
    }

    function draw() {
      const box = root.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      wires.style.width = box.width + 'px';
      wires.style.height = box.height + 'px';
      wires.width = Math.round(box.width * ratio);
      wires.height = Math.round(box.height * ratio);
      const ctx = wires.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, box.width, box.height);
      const cache = {};
      let drawn = 0;
      for (let k = 1; k < links.length; k++) {
        // a layer that wrapped onto the next row (a narrow screen) gets no wires across the others
        if (box.width && right(k - 1) > left(k)) continue;
        drawn += links[k].length;
        const lit = k <= lastIndex;
        const max = Math.max(1e-9, Math.max.apply(null, links[k].map(function (l) { return Math.abs(l.w); })));
        links[k].forEach(function (l) {
          const a = anchor(k - 1, l.from, box, cache), b = anchor(k, l.to, box, cache);
          const s = Math.abs(l.w) / max;
          ctx.strokeStyle = !lit ? 'rgba(140,148,160,' + (0.05 + 0.12 * s).toFixed(3) + ')'
            : l.w >= 0 ? 'rgba(47,111,223,' + (0.12 + 0.7 * s).toFixed(3) + ')'
              : 'rgba(210,60,60,' + (0.12 + 0.7 * s).toFixed(3) + ')';
          ctx.lineWidth = lit ? 0.4 + 2 * s : 0.5;
          ctx.beginPath();
          ctx.moveTo(a.x, a.y);
          ctx.lineTo(b.x, b.y);
          ctx.stroke();
        });
      }
      root.dataset.wires = String(drawn);
    }

    function column(k) {
      if (k === 0) return $('input-grid');
      if (k === layers.length - 1) return outputs;
      return columns.children[k - 1];
    }

    function left(k) { return column(k).getBoundingClientRect().left; }
    function right(k) { return column(k).getBoundingClientRect().right; }

    function show(steps, index) {
      lastIndex = index;
      for (let k = 0; k < layers.length; k++) fill(k, k <= index ? steps[k] : null);
      root.dataset.lit = String(index + 1);
      draw();
    }

    if (window.ResizeObserver) new ResizeObserver(function () { draw(); }).observe(root);
    return { build: build, show: show, weights: weights, layers: function () { return layers; } };
  }

  window.DigitNetworkView = DigitNetworkView;
})();
