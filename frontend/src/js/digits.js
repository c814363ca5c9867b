// /digits: draw → classify run → each `layer` event lights up that layer's neurons → `done` gives the answer.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const network = $('network');
  const modelSelect = $('model');
  const weightsByModel = {};
  let inFlight = false, pending = null, lastSent = 0, runs = 0;

  const pad = DigitPad($('pad'), function (finished) {
    $('sample-label').textContent = '';
    // while drawing, at most a few runs a second; always one when the stroke ends
    if (finished || Date.now() - lastSent > 150) classify(pad.pixels());
  });

  const streamHandlers = {
    types: ['layer'],
    onEvent: function (type, layer) { renderLayer(layer); },
    onEnd: function (type, data) { finished(type, data); }
  };

  function classify(pixels) {
    if (!pixels) return;
    if (inFlight) { pending = pixels; return; }
    inFlight = true;
    lastSent = Date.now();
    RunStream.start('classify', { model: modelSelect.value, pixels: pixels }, Object.assign({
      onBusy: function (seconds) {
        $('run-status').textContent = 'The server is busy; trying again in ' + seconds + ' s.';
        setTimeout(function () { inFlight = false; classify(pixels); }, seconds * 1000);
      }
    }, streamHandlers)).then(function (run) {
      if (run) $('run-status').innerHTML = 'Run <a href="' + run.links.self + '">' + run.id + '</a>';
    }).catch(function (e) {
      $('run-status').textContent = 'Could not reach the server: ' + e.message;
      inFlight = false;
    });
  }

  function finished(type, data) {
    inFlight = false;
    if (type === 'done') {
      $('prediction').textContent = data.prediction;
      network.dataset.runs = String(++runs);
      network.dataset.prediction = String(data.prediction);
    } else {
      $('run-status').textContent = type + ': ' + (data.message || data.reason || '');
    }
    if (pending) { const next = pending; pending = null; classify(next); }
  }

  // ---- drawing the layers ----

  function renderLayer(layer) {
    if (layer.name === 'input') return Heat.draw($('input-grid'), layer.activations, 28, 28, Heat.gray);
    if (layer.name === 'output') return renderOutputs(layer.activations);
    const box = layerBox(layer);
    if (layer.shape.length === 3) renderMaps(box, layer); else renderNeurons(box, layer);
  }

  function layerBox(layer) {
    let box = document.querySelector('[data-layer="' + layer.name + '"]');
    if (!box) {
      box = document.createElement('div');
      box.className = 'layer hidden';
      box.dataset.layer = layer.name;
      box.dataset.index = layer.index;
      const title = document.createElement('h3');
      title.innerHTML = layer.name + ' <small>' + layer.shape.join('×') + ' activations</small>';
      box.appendChild(title);
      const body = document.createElement('div');
      body.className = layer.shape.length === 3 ? 'maps' : 'neurons';
      box.appendChild(body);
      const boxes = $('hidden-layers');
      const after = Array.from(boxes.children).find(function (b) { return Number(b.dataset.index) > layer.index; });
      boxes.insertBefore(box, after || null);
    }
    return box.lastChild;
  }

  function renderNeurons(body, layer) {
    const max = Math.max(1e-6, Math.max.apply(null, layer.activations));
    // sigmoid activations are already 0..1; ReLU ones are shown relative to the layer's largest
    const scale = layer.activations.every(function (a) { return a <= 1; }) ? 1 : max;
    layer.activations.forEach(function (a, i) {
      let n = body.children[i];
      if (!n) {
        n = document.createElement('button');
        n.type = 'button';
        n.className = 'neuron';
        n.addEventListener('mouseenter', function () { showNeuron(layer.name, i); });
        n.addEventListener('focus', function () { showNeuron(layer.name, i); });
        body.appendChild(n);
      }
      const v = Math.min(1, a / scale);
      n.style.background = Heat.gray(v);
      n.dataset.activation = a.toFixed(4);
      n.title = layer.name + ' neuron ' + i + ': activation ' + a.toFixed(3);
    });
  }

  function renderMaps(body, layer) {
    const h = layer.shape[0], w = layer.shape[1], c = layer.shape[2];
    const max = Math.max(1e-6, Math.max.apply(null, layer.activations));
    for (let k = 0; k < c; k++) {
      let map = body.children[k];
      if (!map) {
        map = document.createElement('canvas');
        map.width = w; map.height = h;
        map.className = 'map';
        map.tabIndex = 0;
        map.addEventListener('mouseenter', function () { showNeuron(layer.name, k); });
        body.appendChild(map);
      }
      const channel = new Array(h * w);
      for (let p = 0; p < h * w; p++) channel[p] = layer.activations[p * c + k] / max;
      Heat.draw(map, channel, w, h, Heat.gray);
      map.dataset.activation = String(Math.max.apply(null, channel));
    }
  }

  function renderOutputs(probabilities) {
    const list = $('outputs');
    const best = probabilities.indexOf(Math.max.apply(null, probabilities));
    probabilities.forEach(function (p, d) {
      let row = list.children[d];
      if (!row) {
        row = document.createElement('li');
        row.innerHTML = '<span class="digit">' + d + '</span><span class="bar"><span></span></span><span class="p"></span>';
        list.appendChild(row);
      }
      row.querySelector('.bar span').style.width = (p * 100).toFixed(1) + '%';
      row.querySelector('.p').textContent = (p * 100).toFixed(1) + ' %';
      row.classList.toggle('best', d === best);
    });
  }

  // ---- a neuron's incoming weights ----

  function showNeuron(layerName, index) {
    weights(modelSelect.value).then(function (layers) {
      const layer = layers.find(function (l) { return l.layer === layerName; });
      if (!layer) return;
      const w = layer.incoming[index];
      const shape = layer.neuronShape;
      const width = shape.length >= 2 ? shape[1] * (shape[2] || 1) : Math.ceil(Math.sqrt(w.length));
      const height = Math.ceil(w.length / width);
      const max = Heat.maxAbs(w);
      const canvas = $('weights');
      const cells = new Array(width * height).fill(0);
      // conv kernels are (5, 5, in) row-major: lay the input channels side by side
      w.forEach(function (v, j) {
        if (shape.length === 3) {
          const ch = j % shape[2], pos = Math.floor(j / shape[2]);
          cells[Math.floor(pos / shape[1]) * width + ch * shape[1] + (pos % shape[1])] = v / max;
        } else {
          cells[j] = v / max;
        }
      });
      Heat.draw(canvas, cells, width, height, Heat.diverging);
      const unit = shape.length === 3 ? ' filter ' : ' neuron ';
      $('neuron-title').textContent = layerName + unit + index + ': weights of its ' + w.length + ' incoming connections';
      $('neuron-bias').textContent = 'bias b = ' + layer.biases[index].toFixed(3);
    });
  }

  function weights(model) {
    if (!weightsByModel[model]) {
      weightsByModel[model] = fetch('/api/digits/models/' + encodeURIComponent(model) + '/weights')
        .then(function (r) { return r.json(); });
    }
    return weightsByModel[model];
  }

  // ---- controls ----

  $('clear').addEventListener('click', function () {
    pad.clear();
    $('prediction').textContent = '–';
    $('sample-label').textContent = '';
  });

  $('sample').addEventListener('click', function () {
    const index = Math.floor(Math.random() * 10000);  // the official MNIST test set
    fetch('/api/digits/samples/' + index).then(function (r) { return r.json(); }).then(function (s) {
      pad.show(s.pixels);
      $('sample-label').textContent = 'Official MNIST test digit #' + s.index + ', labelled ' + s.label + '.';
      classify(s.pixels);
    });
  });

  // ---- a shared run (/r/{id}): show its digit, replay (or follow) what the network computed ----

  function replayShared() {
    const id = network.dataset.sharedRun;
    const speed = $('replay-speed') ? $('replay-speed').value : '1';
    inFlight = true;
    $('run-status').innerHTML = 'Shared run <a href="/api/runs/' + id + '">' + id + '</a>';
    RunStream.follow('/api/runs/' + encodeURIComponent(id) + '/events?speed=' + speed, streamHandlers);
  }

  if (network.dataset.sharedRun) {
    const shared = JSON.parse(network.dataset.sharedParams);
    pad.show(shared.pixels);
    modelSelect.value = shared.model;
    replayShared();
    $('replay').addEventListener('click', function () {
      $('hidden-layers').innerHTML = '';
      replayShared();
    });
  }

  modelSelect.addEventListener('change', function () {
    $('hidden-layers').innerHTML = '';
    classify(pad.pixels());
  });
})();
