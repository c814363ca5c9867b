// /learning, "Your own data": a learner draws a small data set of named classes on a pad (each drawing turned into
// 784 pixels exactly as the /digits pad does: DigitPad.toPixels), trains the form's network on it (a `train` run
// with params.dataset, started by learning-train.js), then draws new ones and reads what that network calls them
// (POST /api/learning/classify). A shared own-data run (/learning?run=ID) brings its data set into this panel.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const panel = $('own-panel');
  const MIN = Number(panel.dataset.minPerClass), MAX = Number(panel.dataset.maxDrawings);
  const MAX_CLASSES = Number(panel.dataset.maxClasses), HOLD_OUT = Number(panel.dataset.holdOut);
  const NAME = 24;

  // the one state of the panel: class names, drawings {label, pixels}, the class drawn into, the network trained
  const state = { classes: ['A', 'B'], examples: [], current: 0, network: null, names: null, heldOut: [] };
  let ink = false;     // something drawn on the pad since the last clear

  const pad = DigitPad($('own-pad'), function (ended) {
    ink = true;
    if (ended && state.network) classify();
  });

  function counts() {
    const c = state.classes.map(function () { return 0; });
    state.examples.forEach(function (e) { c[e.label]++; });
    return c;
  }

  // ⌊n/5⌋ of each class held out, as the server does (OwnDrawings.trainingCount): what m may be at most
  function trainingCount() {
    return counts().reduce(function (n, c) { return n + c - Math.floor(c / HOLD_OUT); }, 0);
  }

  // what stops this data set from training, or null
  function problem() {
    const c = counts();
    const names = state.classes.map(function (n) { return n.trim(); });
    if (names.some(function (n) { return !n; })) return 'Every class needs a name.';
    if (new Set(names).size !== names.length) return 'Two classes have the same name.';
    const few = c.findIndex(function (n) { return n < MIN; });
    if (few >= 0) return '“' + names[few] + '” has ' + c[few] + ' drawing' + (c[few] === 1 ? '' : 's') + ': draw at least ' + MIN + ' of each class.';
    return null;
  }

  function thumbnail(pixels, title, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.title = title;
    const c = document.createElement('canvas');
    Heat.draw(c, pixels, 28, 28, function (v) { const g = Math.round(v * 255); return [g, g, g]; });
    b.appendChild(c);
    b.addEventListener('click', onClick);
    return b;
  }

  function render() {
    const c = counts(), list = $('own-classes');
    list.innerHTML = '';
    state.classes.forEach(function (name, k) {
      const li = document.createElement('li');
      li.className = 'own-class';
      li.dataset.current = String(k === state.current);
      li.dataset.count = String(c[k]);
      const head = document.createElement('div');
      head.className = 'own-class-head';
      const pick = document.createElement('button');
      pick.type = 'button';
      pick.textContent = k === state.current ? 'Drawing this' : 'Draw this';
      pick.addEventListener('click', function () { state.current = k; render(); });
      const input = document.createElement('input');
      input.value = name; input.maxLength = NAME; input.setAttribute('aria-label', 'name of class ' + (k + 1));
      input.addEventListener('input', function () { state.classes[k] = input.value; update(); });
      const count = document.createElement('span');
      count.className = 'own-count';
      count.textContent = c[k] + ' drawing' + (c[k] === 1 ? '' : 's');
      head.append(pick, input, count);
      if (state.classes.length > 2 && !c[k]) {
        const drop = document.createElement('button');
        drop.type = 'button'; drop.textContent = 'Remove';
        drop.title = 'remove this empty class';
        drop.addEventListener('click', function () { removeClass(k); });
        head.append(drop);
      }
      const thumbs = document.createElement('div');
      thumbs.className = 'own-thumbs';
      state.examples.forEach(function (e, i) {
        if (e.label !== k) return;
        const t = thumbnail(e.pixels, 'drawing ' + (i + 1) + (state.heldOut.indexOf(i) >= 0 ? ', held out' : '')
          + ': click to remove it', function () { removeDrawing(i); });
        t.dataset.heldOut = String(state.heldOut.indexOf(i) >= 0);
        thumbs.appendChild(t);
      });
      li.append(head, thumbs);
      list.appendChild(li);
    });
    $('own-add-class').disabled = state.classes.length >= MAX_CLASSES;
    update();
  }

  // the parts that change as names are typed: the add button's class, the status line, the train button
  function update() {
    $('own-current').textContent = state.classes[state.current].trim() || 'class ' + (state.current + 1);
    const n = state.examples.length, why = problem();
    const status = $('own-status');
    status.dataset.drawings = String(n);
    status.textContent = n + ' of at most ' + MAX + ' drawings in ' + state.classes.length + ' classes. '
      + (why || 'Ready: ' + trainingCount() + ' to train on, ' + (n - trainingCount()) + ' held out.');
    $('own-train').disabled = !!why;
    $('own-add').disabled = n >= MAX;
  }

  function removeDrawing(i) {
    state.examples.splice(i, 1);
    state.heldOut = [];      // the indices no longer match the run that held them out
    render();
  }

  function removeClass(k) {
    state.classes.splice(k, 1);
    state.examples.forEach(function (e) { if (e.label > k) e.label--; });
    state.current = Math.min(state.current, state.classes.length - 1);
    render();
  }

  $('own-add-class').addEventListener('click', function () {
    state.classes.push(String.fromCharCode(65 + state.classes.length));
    state.current = state.classes.length - 1;
    render();
  });

  $('own-clear').addEventListener('click', function () { pad.clear(); ink = false; });

  $('own-add').addEventListener('click', function () {
    const pixels = ink ? pad.pixels() : null;
    if (!pixels) {
      $('own-answer').textContent = 'Draw something first.';
      return;
    }
    state.examples.push({ label: state.current, pixels: pixels });
    pad.clear(); ink = false;
    $('own-answer').textContent = 'Added to “' + state.classes[state.current].trim() + '”.';
    render();
  });

  $('own-train').addEventListener('click', function () {
    state.heldOut = [];
    $('own-answer').textContent = 'Training on your drawings…';
    document.dispatchEvent(new CustomEvent('learning:train-own', { detail: {
      dataset: { classes: state.classes.map(function (n) { return n.trim(); }), examples: state.examples },
      trainingCount: trainingCount() } }));
  });

  // ---- the trained network, asked about each new drawing ----

  function classify() {
    const pixels = pad.pixels();
    if (!pixels) return;
    fetch('/api/learning/classify', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: state.network, pixels: pixels }) })
      .then(function (r) { return r.json().then(function (d) { if (!r.ok) throw new Error(d.detail || r.statusText); return d; }); })
      .then(showOutputs)
      .catch(function (e) { $('own-answer').textContent = e.message; });
  }

  function showOutputs(c) {
    const answer = $('own-answer');
    answer.textContent = 'Your network says: ' + state.names[c.prediction] + ' (' + c.outputs[c.prediction].toFixed(2) + ')';
    answer.dataset.prediction = state.names[c.prediction];
    const list = $('own-outputs');
    list.innerHTML = '';
    c.outputs.forEach(function (v, k) {
      const li = document.createElement('li');
      li.dataset.top = String(k === c.prediction);
      const name = document.createElement('span'), bar = document.createElement('span'), value = document.createElement('span');
      name.textContent = state.names[k]; name.title = state.names[k];
      bar.className = 'own-bar'; bar.style.width = (v * 100).toFixed(1) + '%';
      value.textContent = v.toFixed(2);
      li.append(name, document.createElement('span'), value);
      li.children[1].appendChild(bar);
      list.appendChild(li);
    });
  }

  // A run on own drawings (started here, or opened from a share link) becomes the panel's data set and, once
  // trained, the network new drawings go to; a run on the digits leaves the panel as it is.
  document.addEventListener('learning:network', function (e) {
    const d = e.detail.params.dataset;
    state.network = null;
    $('own-outputs').innerHTML = '';
    if (!d) return;
    state.classes = d.classes.slice();
    state.examples = d.examples.map(function (x) { return { label: x.label, pixels: x.pixels.map(Number) }; });
    state.current = Math.min(state.current, state.classes.length - 1);
    state.heldOut = [];
    render();
  });

  document.addEventListener('learning:trained', function (e) {
    const d = e.detail.params.dataset;
    if (!d) return;
    state.network = e.detail.id;
    state.names = d.classes.slice();
    const held = e.detail.done && e.detail.done.heldOut;
    state.heldOut = held ? held.examples.slice() : [];
    render();
    panel.dataset.trained = e.detail.id;
    $('own-answer').textContent = (held ? 'Trained: ' + held.right + ' of ' + held.examples.length
      + ' held-out drawings (outlined) right. ' : 'Trained. ') + 'Draw a new one to see what your network calls it.';
    pad.clear(); ink = false;
  });

  render();
})();
