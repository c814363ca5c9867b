// /digits, inside the network: the activation functions, the layers unit by unit, and the intervention.
//
// One state for the three views. When a digit's answer is final (digits.js announces `digits:answer`) it asks the
// model once more for that digit with its pre-activations z (POST /api/digits/classify, "preActivations": true):
// that is `before`. With units switched off or pinned it asks again with "ablate": that is `after`. Every number
// the views show is from these two answers (or the model's weights); none is computed here.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const root = $('inside');
  const modelSelect = $('model');
  const state = {
    model: null, activation: 'sigmoid', hidden: [],   // the model's hidden layers [{name, shape}]
    pixels: null, before: null, after: null,
    switches: {},                                     // 'layer:unit' → 'off' | 'on'
    asked: 0                                          // request number: an older answer never replaces a newer one
  };
  const activations = DigitActivationPlot($('act-plot'), $('act-readout'), $('act-legend'));
  const units = DigitUnits($('layers-tabs'), $('unit-cards'), $('layers-hint'));

  function option(name) {
    return Array.from(modelSelect.options).find(function (o) { return o.value === name; });
  }

  function useModel(name) {
    if (state.model === name) return;
    const o = option(name);
    state.model = name;
    state.activation = o.dataset.activation;
    const layers = JSON.parse(o.dataset.layers);
    state.hidden = layers.slice(1, -1);
    state.switches = {};
    clear();
    units.model(name, state.hidden);
    buildSwitches();
  }

  function clear() {
    state.pixels = null; state.before = null; state.after = null; state.asked++;
    root.dataset.state = 'empty';
    activations.show(null, state.activation);
    units.show(null, null);
    showSwitches();
    compare();
  }

  // ---- asking the model ----

  function classify(ablate) {
    return fetch('/api/digits/classify', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ model: state.model, pixels: state.pixels, preActivations: true, ablate: ablate })
    }).then(function (r) {
      if (r.status === 429) {
        const seconds = Math.max(1, Number(r.headers.get('Retry-After')) || 1);
        readout('The server asks to wait ' + seconds + ' s; asking again then.');
        return new Promise(function (ok) { setTimeout(ok, seconds * 1000); }).then(function () { return classify(ablate); });
      }
      if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail || ('HTTP ' + r.status)); });
      return r.json();
    });
  }

  function look(model, pixels) {
    useModel(model);
    state.pixels = pixels;
    const n = ++state.asked;
    root.dataset.state = 'asking';
    classify([]).then(function (answer) {
      if (n !== state.asked) return;
      state.before = answer;
      root.dataset.state = 'shown';
      activations.show(answer, state.activation);
      units.show(answer, state.switches);
      showSwitches();
      intervene();
    }).catch(function (e) { readout('Could not ask the model: ' + e.message); });
  }

  // ---- the intervention ----

  function ablate() {
    return Object.keys(state.switches).map(function (key) {
      const parts = key.split(':'), layer = parts[0], unit = Number(parts[1]);
      const entry = { layer: layer, neuron: unit };
      if (state.switches[key] === 'on') entry.value = pinValue(layer);
      return entry;
    });
  }

  // "pin on": the largest activation of its layer for this digit, as the model computed it (1 if all are 0)
  function pinValue(layer) {
    const l = state.before.layers.find(function (x) { return x.name === layer; });
    const max = Math.max.apply(null, l.activations);
    return Math.min(100, max > 0 ? max : 1);
  }

  function intervene() {
    if (!state.before) return;
    const list = ablate();
    if (!list.length) {
      state.after = null;
      root.dataset.ablated = '0';
      compare();
      return;
    }
    const n = ++state.asked;
    classify(list).then(function (answer) {
      if (n !== state.asked) return;
      state.after = answer;
      root.dataset.ablated = String(list.length);
      compare();
      showSwitches();
    }).catch(function (e) { readout('Could not ask the model: ' + e.message); });
  }

  function toggle(layer, unit) {
    const key = layer + ':' + unit;
    const mode = document.querySelector('input[name=int-mode]:checked').value;
    if (state.switches[key] === mode) delete state.switches[key]; else state.switches[key] = mode;
    showSwitches();
    intervene();
  }

  function buildSwitches() {
    const box = $('int-layers');
    box.innerHTML = '';
    state.hidden.forEach(function (layer) {
      const row = document.createElement('div');
      row.className = 'int-layer';
      const count = layer.shape[layer.shape.length - 1];
      const title = document.createElement('h3');
      title.textContent = layer.name + ' ';
      const small = document.createElement('small');
      small.textContent = count + (layer.shape.length === 3 ? ' channels' : ' neurons');
      title.appendChild(small);
      const grid = document.createElement('div');
      grid.className = 'int-units' + (count > 32 ? ' int-units-small' : '');
      grid.dataset.layer = layer.name;
      for (let i = 0; i < count; i++) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'int-unit';
        b.dataset.unit = String(i);
        b.textContent = count > 32 ? '' : String(i);
        b.addEventListener('click', function () { toggle(layer.name, i); });
        grid.appendChild(b);
      }
      row.appendChild(title);
      row.appendChild(grid);
      box.appendChild(row);
    });
    showSwitches();
  }

  // Each unit's button: shaded by its activation before (the largest cell, for a channel), marked off / pinned,
  // and its activation after the intervention in its title.
  function showSwitches() {
    document.querySelectorAll('#int-layers .int-units').forEach(function (grid) {
      const name = grid.dataset.layer;
      const before = layerOf(state.before, name), after = layerOf(state.after, name);
      const channels = before && before.shape.length === 3 ? before.shape[2] : 0;
      const peaks = before ? unitPeaks(before) : null, afterPeaks = after ? unitPeaks(after) : null;
      const top = peaks ? Math.max(1e-6, Math.max.apply(null, peaks)) : 1;
      Array.from(grid.children).forEach(function (b, i) {
        const s = state.switches[name + ':' + i];
        b.classList.toggle('int-off', s === 'off');
        b.classList.toggle('int-on', s === 'on');
        b.disabled = !before;
        if (!before) { b.style.background = ''; b.title = name + ' ' + i + ': draw a digit first'; delete b.dataset.after; return; }
        const v = peaks[i] / top;
        b.style.background = Heat.gray(v).toString();
        b.style.color = v > 0.55 ? '#000' : '#fff';
        let text = name + (channels ? ' channel ' : ' neuron ') + i + ': a = ' + fmt(peaks[i]) + (channels ? ' (largest cell)' : '');
        if (afterPeaks) { text += ' → ' + fmt(afterPeaks[i]) + ' after'; b.dataset.after = String(afterPeaks[i]); }
        else delete b.dataset.after;
        b.title = text;
        b.setAttribute('aria-label', text + (s ? (s === 'off' ? ', switched off' : ', pinned on') : ''));
      });
    });
  }

  function layerOf(answer, name) {
    return answer ? answer.layers.find(function (l) { return l.name === name; }) : null;
  }

  // a unit's activation: a neuron's own, or a channel's largest cell (maps are (h, w, c) row-major)
  function unitPeaks(layer) {
    if (layer.shape.length !== 3) return layer.activations;
    const c = layer.shape[2], peaks = new Array(c).fill(-Infinity);
    layer.activations.forEach(function (a, j) { peaks[j % c] = Math.max(peaks[j % c], a); });
    return peaks;
  }

  // ---- before / after ----

  function bars(list, p, other) {
    list.innerHTML = '';
    for (let d = 0; d < 10; d++) {
      const li = document.createElement('li');
      const best = p && p.indexOf(Math.max.apply(null, p)) === d;
      li.className = best ? 'int-best' : '';
      li.innerHTML = '<span class="int-digit"></span><span class="int-bar"><span></span></span><span class="int-p"></span>';
      li.querySelector('.int-digit').textContent = String(d);
      li.querySelector('.int-bar span').style.width = p ? (p[d] * 100).toFixed(1) + '%' : '0';
      li.querySelector('.int-p').textContent = p ? (p[d] * 100).toFixed(1) + ' %' : '';
      if (p && other) li.title = 'p(' + d + ') ' + (other[d] * 100).toFixed(2) + ' % → ' + (p[d] * 100).toFixed(2) + ' %';
      list.appendChild(li);
    }
  }

  function compare() {
    const before = state.before ? state.before.probabilities : null;
    const after = state.after ? state.after.probabilities : before;
    bars($('int-before'), before, null);
    bars($('int-after'), after, before);
    if (!before) { readout('Draw a digit, then click a neuron above.'); return; }
    const b = state.before.prediction, a = state.after ? state.after.prediction : b;
    const n = Object.keys(state.switches).length;
    const what = n === 0 ? 'Nothing switched: after = before. Click a unit above.'
      : n + (n === 1 ? ' unit' : ' units') + ' changed: the network reads ' + b + ' (' + pct(before[b]) + ') → '
        + a + ' (' + pct(after[a]) + ')' + (a === b ? ', p(' + b + ') now ' + pct(after[b]) + '.' : '.');
    readout(what);
  }

  function readout(text) { $('int-readout').textContent = text; }
  function pct(p) { return (p * 100).toFixed(1) + ' %'; }
  function fmt(v) { return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3); }

  $('int-reset').addEventListener('click', function () {
    state.switches = {};
    showSwitches();
    intervene();
  });
  document.addEventListener('digits:answer', function (e) { look(e.detail.model, e.detail.pixels); });
  document.addEventListener('digits:model', function (e) { useModel(e.detail.model); });
  document.addEventListener('digits:clear', clear);
  useModel(modelSelect.value);
})();
