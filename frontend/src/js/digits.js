// /digits: draw a digit and watch the network read it, layer by layer.
//
// While a stroke is drawn the page asks for unrecorded answers (POST /api/digits/classify): at most one in
// flight, the newest drawing winning, and shows each at once. When a stroke ends it records a classify run
// (POST /api/runs), which the history and share links keep. Every answer goes through the run player, a
// step being one layer; render(steps, i) lights layers 0..i and the prediction appears with the output.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const network = $('network');
  const modelSelect = $('model');
  const PACE = 500;        // ms per layer when played: slow enough to follow the forward pass
  const LIVE_GAP = 60;     // ms between live requests at least: ≤ 17 a second, within the live budget
  const weightsByModel = {};
  const counts = { live: 0, started: 0, runs: 0, refused: 0 };
  // Every drawing state gets a number; an answer for an older one never replaces a newer one.
  let drawn = 0, answered = 0;
  let model = null;        // the model whose layers are laid out (and whose steps the player holds)
  let holdUntil = 0;       // after a refusal, nothing is sent before this time (ms)
  const live = { busy: false, next: null, last: 0, timer: null };
  const record = { busy: false, next: null, timer: null };

  const view = DigitNetworkView($('layers'), { onNeuron: showNeuron });
  const player = RunPlayer($('player'), { render: render, label: label, pace: PACE });
  const pad = DigitPad($('pad'), function (strokeEnded) {
    $('sample-label').textContent = '';
    const pixels = pad.pixels();
    if (!pixels) return;
    if (strokeEnded) recordRun(pixels, ++drawn); else ask(pixels, ++drawn);
  });

  // ---- what the player shows ----

  function render(steps, index) {
    view.show(steps, index);
    const last = view.layers().length - 1;
    const output = index === last && steps[index] && steps[index].name === 'output' ? steps[index].activations : null;
    const best = output ? output.indexOf(Math.max.apply(null, output)) : -1;
    $('prediction').textContent = output ? String(best) : '–';
    $('pad-answer').textContent = output
      ? 'The network reads ' + best + ' (' + (output[best] * 100).toFixed(1) + ' % sure).'
      : 'Layer ' + (index + 1) + ' of ' + (last + 1) + '… the answer comes with the output layer.';
    if (output) network.dataset.prediction = String(best); else delete network.dataset.prediction;
  }

  function label(steps, index) {
    return 'layer ' + (index + 1) + ' of ' + view.layers().length + ': ' + steps[index].name;
  }

  // An answer computed at once (a live one, or a recorded run that finished): every layer, showing the last.
  // Returns false for an answer about an older drawing (not shown).
  function showAnswer(layers, n) {
    if (n < answered) return false;
    answered = n;
    player.reset();
    layers.forEach(function (l) { player.push(l); });
    player.finish();
    player.show(layers.length - 1);
    status('');
    return true;
  }

  // The views inside the network (digit-inside.js) look at the digit once its answer is final, not on every
  // live answer while a stroke is drawn: `digits:answer` {model, pixels}, `digits:clear`, `digits:model` {model}.
  function announce(type, detail) {
    document.dispatchEvent(new CustomEvent('digits:' + type, { detail: detail || {} }));
  }

  function status(text) { $('run-status').textContent = text; }

  function count(name) {
    counts[name]++;
    network.dataset[name] = String(counts[name]);
  }

  // ---- live answers while drawing: one request in flight, the latest drawing wins ----

  function ask(pixels, n) {
    live.next = { pixels: pixels, n: n, model: model };
    pump();
  }

  function pump() {
    if (live.busy || !live.next || live.timer) return;
    const wait = Math.max(holdUntil, live.last + LIVE_GAP) - Date.now();
    if (wait > 0) {
      live.timer = setTimeout(function () { live.timer = null; pump(); }, wait);
      return;
    }
    const job = live.next;
    live.next = null; live.busy = true; live.last = Date.now();
    fetch('/api/digits/classify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ model: job.model, pixels: job.pixels })
    }).then(function (r) {
      if (r.status === 429) {
        const seconds = Number(r.headers.get('Retry-After'));
        return r.json().catch(function () { return {}; }).then(function (p) { refused(seconds, p); });
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json().then(function (c) {
        count('live');
        if (job.model === model) showAnswer(c.layers, job.n);
      });
    }).catch(function (e) {
      status('Could not reach the server: ' + e.message);
    }).finally(function () {
      live.busy = false;
      pump();
    });
  }

  // ---- a recorded run when a stroke ends (or a test digit is shown, or the model changes) ----

  function recordRun(pixels, n) {
    live.next = null; // the stroke is over: its last drawing is recorded instead
    record.next = { pixels: pixels, n: n, model: model };
    pumpRecord();
  }

  function pumpRecord() {
    if (record.busy || !record.next || record.timer) return;
    if (holdUntil > Date.now()) {
      record.timer = setTimeout(function () { record.timer = null; pumpRecord(); }, holdUntil - Date.now());
      return;
    }
    const job = record.next, steps = [];
    record.next = null; record.busy = true;
    const done = function () { record.busy = false; pumpRecord(); };
    RunStream.start('classify', { model: job.model, pixels: job.pixels }, {
      types: ['layer'],
      onEvent: function (type, layer) { steps.push(layer); },
      onEnd: function (type, data) {
        if (type === 'done') {
          count('runs');
          if (job.model === model && showAnswer(steps, job.n)) announce('answer', { model: job.model, pixels: job.pixels });
        } else {
          status('The run ended with ' + type + ': ' + (data.message || data.reason || data.detail || ''));
        }
        done();
      },
      onBusy: function (seconds, problem) {
        refused(seconds, problem);
        if (!record.next) record.next = job; // try this drawing again once the wait is over
        done();
      }
    }).then(function (run) {
      if (!run) return;
      count('started');
      network.dataset.run = run.id;
      const link = document.createElement('a');
      link.href = run.links.share || ('/r/' + run.id);
      link.textContent = run.id;
      $('run-link').replaceChildren('Recorded as run ', link, ' (a share link that replays it).');
    }).catch(function (e) {
      status('Could not reach the server: ' + e.message);
      done();
    });
  }

  // 429: the caller's own limit (rate, runs at once, or its share of the slots) or a full server; the reason says which.
  function refused(retryAfter, problem) {
    const seconds = Math.max(1, retryAfter || 1);
    holdUntil = Date.now() + seconds * 1000;
    count('refused');
    if (problem && problem.reason === 'rate-limit') {
      status('You are going faster than your limit (' + problem.limit + '); ready again in ' + seconds + ' s.');
    } else if (problem && (problem.reason === 'own-runs' || problem.reason === 'own-share')) {
      status((problem.detail || 'You have too many runs computing.') + ' Ready again in ' + seconds + ' s.');
    } else {
      status('The server is busy with other people\'s experiments; trying again in ' + seconds + ' s.');
    }
  }

  // ---- the model: its layers, its weights (for the connections), its formula ----

  function useModel(name) {
    model = name;
    player.clear();
    view.build(JSON.parse(option(name).dataset.layers));
    clearNeuron();   // the neuron shown belonged to the model before
    announce('model', { model: name });
    weights(name).then(function (layers) {
      if (model !== name) return;
      view.weights(layers);
      showNeuron(layers[0].layer, 0);   // one neuron's weights in view until the person picks another
    });
    const formula = $('formula');
    if (formula.dataset.tex !== option(name).dataset.formula) {
      formula.dataset.tex = option(name).dataset.formula;
      delete formula.dataset.rendered;
      Formulas.render(formula.parentElement);
    }
  }

  const neuronHint = $('neuron-title').textContent;

  function clearNeuron() {
    $('neuron-title').textContent = neuronHint;
    $('neuron-bias').textContent = '';
    const canvas = $('weights');
    canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
  }

  function option(name) {
    return Array.from(modelSelect.options).find(function (o) { return o.value === name; });
  }

  function weights(name) {
    if (!weightsByModel[name]) {
      weightsByModel[name] = fetch('/api/digits/models/' + encodeURIComponent(name) + '/weights')
        .then(function (r) { return r.json(); });
    }
    return weightsByModel[name];
  }
  window.DigitWeights = { of: weights };   // one copy of a model's weights for every view of the page

  function showNeuron(layerName, index) {
    weights(model).then(function (layers) {
      const layer = layers.find(function (l) { return l.layer === layerName; });
      if (!layer) return;
      const w = layer.incoming[index];
      const shape = layer.neuronShape;
      const width = shape.length >= 2 ? shape[1] * (shape[2] || 1) : Math.ceil(Math.sqrt(w.length));
      const height = Math.ceil(w.length / width);
      const max = Heat.maxAbs(w);
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
      Heat.draw($('weights'), cells, width, height, Heat.diverging);
      const unit = shape.length === 3 ? ' filter ' : ' neuron ';
      $('neuron-title').textContent = layerName + unit + index + ': weights of its ' + w.length + ' incoming connections';
      $('neuron-bias').textContent = 'bias b = ' + layer.biases[index].toFixed(3);
    });
  }

  // ---- controls ----

  function clearAll() {
    pad.clear();
    answered = ++drawn;            // answers still on their way are for an older drawing
    live.next = null; record.next = null;
    player.clear();                // nothing to play until the next drawing
    view.show([], -1);
    $('prediction').textContent = '–';
    $('pad-answer').textContent = 'Draw a digit in the black square.';
    delete network.dataset.prediction;
    $('sample-label').textContent = '';
    $('run-link').textContent = '';
    status('');
    announce('clear');
  }

  $('clear').addEventListener('click', clearAll);

  // A random digit of the official MNIST test set on the pad, classified. With onlyOnEmptyPad it waits for
  // nobody: if the person started drawing before the digit arrived, their drawing wins.
  function showTestDigit(onlyOnEmptyPad) {
    const index = Math.floor(Math.random() * 10000);
    fetch('/api/digits/samples/' + index).then(function (r) { return r.json(); }).then(function (s) {
      if (onlyOnEmptyPad && pad.pixels()) return;
      pad.show(s.pixels);
      $('sample-label').textContent = 'Official MNIST test digit #' + s.index + ', labelled ' + s.label + '.';
      recordRun(s.pixels, ++drawn);
    });
  }

  $('sample').addEventListener('click', function () { showTestDigit(false); });

  modelSelect.addEventListener('change', function () {
    useModel(modelSelect.value);
    const pixels = pad.pixels();
    if (pixels) recordRun(pixels, ++drawn); else clearAll();
  });

  // ---- a shared run (/r/{id}): its digit and model; its layers played from the first at PACE ----

  const shared = network.dataset.sharedRun;
  if (shared) {
    const params = JSON.parse(network.dataset.sharedParams);
    modelSelect.value = params.model;
    useModel(params.model);
    pad.show(params.pixels);
    $('pad-answer').textContent = 'A shared run: press ▶ to play it again.';
    $('run-status').textContent = 'Shared run ' + shared + '.';
    RunStream.follow('/api/runs/' + encodeURIComponent(shared) + '/events', {
      types: ['layer'],
      onEvent: function (type, layer) { player.push(layer); },
      onEnd: function (type, data) {
        player.finish();
        if (type === 'done') { count('runs'); announce('answer', { model: params.model, pixels: params.pixels }); } else status('The run ended with ' + type + ': ' + (data.message || data.reason || ''));
      }
    });
  } else {
    useModel(modelSelect.value);
    clearAll();
    // Arriving from a card of the map on one of the views of the network (/digits#activation-panel): every
    // view needs a digit to show anything, so start with a real one rather than empty panels.
    if (location.hash && location.hash !== '#draw-panel') showTestDigit(true);
  }
})();
