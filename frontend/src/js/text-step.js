// /text: the inside of one generation step — the ten likeliest tokens, temperature's effect on them, the logit
// lens and residual norms, the MLP neurons that fired most, every head's attention, the nearest tokens in
// embedding space. TextStep.show(token, attention, keys) draws the step of `token` (a `token` event); it is
// called at most once per animation frame (by the run player), so each part is cheap: small lists are
// rebuilt, the attention grid is built once and only repainted, and nothing off screen is drawn.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const KEYS = 24;              // the most recent keys that fit on screen
  let current = null;           // {token, attention, keys} being shown

  // a token as it reads: its label (whole characters, or bytes such as ⟨C3⟩), newlines made visible
  function visible(label) { return label.replace(/\n/g, '↵\n'); }
  function quoted(label) { return '"' + visible(label) + '"'; }
  // the first n characters (not UTF-16 units: never half of 🙂)
  function first(text, n) { return Array.from(text).slice(0, n).join(''); }

  function show(token, attention, keys) {
    current = { token: token, attention: attention, keys: keys };
    $('detail-title').textContent = 'Token ' + token.index + ': ' + quoted(token.label) + ' with p = '
      + token.p.toFixed(3);
    drawAlternatives(token);
    drawSoftmax();
    drawLens(token);
    drawNeurons(token);
    drawAttention();
    neighbours(token.id);
  }

  function drawAlternatives(t) {
    const list = $('alternatives');
    list.textContent = '';
    t.top.forEach(function (a) {
      const li = document.createElement('li');
      if (a.id === t.id) li.className = 'best';
      const label = document.createElement('span'), bar = document.createElement('span'),
        fill = document.createElement('span'), value = document.createElement('span');
      label.className = 'tok';
      label.textContent = visible(a.label);
      bar.className = 'bar';
      fill.style.width = (100 * a.p).toFixed(1) + '%';
      bar.appendChild(fill);
      value.textContent = (100 * a.p).toFixed(1) + ' %';
      [label, bar, value].forEach(function (e) { li.appendChild(e); });
      li.title = quoted(a.label) + ': p = ' + a.p.toFixed(4);
      list.appendChild(li);
    });
  }

  // softmax(z/T) over the ten alternatives: log p = z − const, so p^(1/T) renormalised is exactly that
  function drawSoftmax() {
    const canvas = $('softmax'), g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!current) return;
    const t = current.token;
    const temperature = Math.max(0.01, Number($('temperature').value));
    const weights = t.top.map(function (a) { return Math.exp(Math.log(Math.max(a.p, 1e-12)) / temperature); });
    const sum = weights.reduce(function (x, y) { return x + y; }, 0);
    const w = canvas.width / weights.length;
    g.font = '10px sans-serif';
    weights.forEach(function (x, i) {
      const h = (canvas.height - 18) * x / sum;
      g.fillStyle = t.top[i].id === t.id ? '#2e7d32' : '#3558d6';
      g.fillRect(i * w + 2, canvas.height - 18 - h, w - 4, h);
      g.fillStyle = '#333';
      g.fillText(first(t.top[i].label.replace(/\n/g, '↵'), 6), i * w + 2, canvas.height - 4);
    });
  }

  function drawLens(t) {
    const table = $('lens');
    table.textContent = '';
    const head = document.createElement('tr');
    ['after', '‖x‖', 'lens guesses'].forEach(function (text) {
      const th = document.createElement('th'); th.textContent = text; head.appendChild(th);
    });
    table.appendChild(head);
    (t.logitLens || []).forEach(function (layer) {
      const tr = document.createElement('tr');
      const guesses = layer.top.map(function (a) { return quoted(a.label) + ' ' + (100 * a.p).toFixed(0) + '%'; });
      [layer.layer === 0 ? 'embedding' : 'block ' + (layer.layer - 1), t.residualNorms[layer.layer].toFixed(1),
        guesses.join(', ')].forEach(function (text) {
        const td = document.createElement('td'); td.textContent = text; tr.appendChild(td);
      });
      table.appendChild(tr);
    });
  }

  function drawNeurons(t) {
    const list = $('neurons');
    list.textContent = '';
    // each neuron a link that opens it in the MLP view (#neurons-panel, text-neurons.js)
    (t.neurons || []).forEach(function (layer) {
      const li = document.createElement('li');
      li.appendChild(document.createTextNode('block ' + layer.layer + ': '));
      layer.top.forEach(function (n, i) {
        if (i) li.appendChild(document.createTextNode(', '));
        const a = document.createElement('a');
        a.href = '#neurons-panel';
        a.className = 'neuron-link';
        a.dataset.block = layer.layer;
        a.dataset.index = n.index;
        a.textContent = '#' + n.index;
        a.title = 'open block ' + layer.layer + ', neuron ' + n.index;
        li.appendChild(a);
        li.appendChild(document.createTextNode(' (' + n.activation.toFixed(2) + ')'));
      });
      list.appendChild(li);
    });
  }

  // ---- attention: one row per head, one cell per key; the grid is built once and repainted ----
  const box = $('attention-maps');
  let grid = null;              // {table, head: [th], rows: [{th, cells: [td]}]}
  let onScreen = true;
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(function (entries) {
      onScreen = entries[entries.length - 1].isIntersecting;
      if (onScreen) drawAttention();
    }).observe(box);
  }

  function buildGrid(heads) {
    const table = document.createElement('table');
    table.className = 'attn-table';
    const headRow = document.createElement('tr');
    headRow.appendChild(document.createElement('th'));
    // the first column: every key before the last KEYS, summed (the server sends those only as one sum)
    const earlier = document.createElement('th');
    earlier.className = 'attn-key attn-earlier';
    headRow.appendChild(earlier);
    const head = [];
    for (let k = 0; k < KEYS; k++) {
      const th = document.createElement('th');
      th.className = 'attn-key';
      head.push(th);
      headRow.appendChild(th);
    }
    table.appendChild(headRow);
    const rows = [];
    for (let h = 0; h < heads; h++) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      tr.appendChild(th);
      const rest = document.createElement('td');
      rest.className = 'attn-earlier';
      tr.appendChild(rest);
      const cells = [];
      for (let k = 0; k < KEYS; k++) {
        const td = document.createElement('td');
        cells.push(td);
        tr.appendChild(td);
      }
      rows.push({ tr: tr, th: th, rest: rest, cells: cells });
      table.appendChild(tr);
    }
    // a cell's value is written into its title when the pointer reaches it, not on every repaint
    table.addEventListener('mouseover', function (e) {
      const td = e.target.closest('td');
      if (td) td.title = cellTitle(rows.findIndex(function (r) { return r.tr === td.parentNode; }),
        Array.prototype.indexOf.call(td.parentNode.children, td) - 2);
    });
    const scroll = document.createElement('div');
    scroll.className = 'attn-scroll';
    scroll.appendChild(table);
    box.textContent = '';
    box.appendChild(scroll);
    return { table: table, earlier: earlier, head: head, rows: rows };
  }

  // keys are the last weights.length tokens of the text, ending with the token read at this step
  function drawAttention() {
    if (!current || !onScreen) return;
    const maps = current.attention;
    if (!maps || !maps.length) {
      grid = null;
      box.textContent = $('attention').checked ? 'Waiting for this token\'s attention…'
        : 'Tick "attention" and generate again.';
      return;
    }
    if (!grid || grid.rows.length !== maps.length) grid = buildGrid(maps.length);
    const n = maps[0].weights.length;
    const shown = Math.min(n, KEYS);
    const keys = current.keys(n);
    const before = maps[0].keys - shown;     // keys read before the first one shown
    grid.earlier.textContent = before > 0 ? '…' : '';
    grid.earlier.title = before > 0 ? 'the ' + before + ' earlier tokens, together' : '';
    grid.head.forEach(function (th, k) {
      const key = k - (KEYS - shown);      // right-aligned: the newest key sits in the last column
      th.textContent = key >= 0 ? visible(keys[keys.length - shown + key] || '') : '';
    });
    maps.forEach(function (m, h) {
      const row = grid.rows[h];
      row.th.textContent = 'L' + m.layer + ' H' + m.head;
      row.rest.style.background = before > 0 ? paint(m.earlier) : '';
      row.cells.forEach(function (td, k) {
        const key = k - (KEYS - shown);
        if (key < 0) { td.style.background = ''; return; }
        td.style.background = paint(m.weights[n - shown + key]);
      });
    });
  }

  // √w so that weak but real attention stays visible next to a strong one
  function paint(w) { return 'rgba(53, 88, 214, ' + Math.sqrt(Math.min(1, w)).toFixed(3) + ')'; }

  // An `attention` event (TokenReport.AttentionEvent): every layer's and head's weights as integers of 1/scale,
  // over the last weights[r].length of the `keys` tokens read, and the earlier ones summed. → one map per head:
  // {layer, head, keys, weights (0..1, oldest first), earlier (0..1)}.
  function decodeAttention(event) {
    return event.weights.map(function (q, r) {
      return {
        layer: Math.floor(r / event.heads), head: r % event.heads, keys: event.keys,
        weights: q.map(function (v) { return v / event.scale; }), earlier: event.earlier[r] / event.scale
      };
    });
  }

  // "L1 H2 → " whale": 0.412" for the cell of head row h, column k (right-aligned keys, as drawn)
  function cellTitle(h, k) {
    const maps = current && current.attention;
    if (!maps || !maps[h]) return '';
    const m = maps[h], n = m.weights.length, shown = Math.min(n, KEYS), key = k - (KEYS - shown);
    if (k === -1) {
      const before = m.keys - shown;
      return before > 0 ? 'L' + m.layer + ' H' + m.head + ' → the ' + before + ' earlier tokens together: '
        + m.earlier.toFixed(3) : '';
    }
    if (key < 0) return '';
    const keys = current.keys(shown);
    return 'L' + m.layer + ' H' + m.head + ' → ' + quoted(keys[key] || '') + ': ' + m.weights[n - shown + key].toFixed(3);
  }

  // ---- nearest tokens: asked for once the step stays on screen a moment, and remembered ----
  const known = new Map();      // token id → neighbours (at most the vocabulary)
  let asking = null;

  function neighbours(id) {
    clearTimeout(asking);
    if (known.has(id)) { drawNeighbours(known.get(id)); return; }
    $('neighbours').textContent = '';
    asking = setTimeout(function () {
      fetch('/api/text/embeddings/neighbours?id=' + id + '&count=8').then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.neighbours) return;
          known.set(id, data.neighbours);
          if (current && current.token.id === id) drawNeighbours(data.neighbours);
        });
    }, 250);
  }

  function drawNeighbours(list) {
    const ul = $('neighbours');
    ul.textContent = '';
    list.forEach(function (n) {
      const li = document.createElement('li');
      li.textContent = quoted(n.label) + '  cos ' + n.cosine.toFixed(2) + ' · dot ' + n.dot.toFixed(2);
      ul.appendChild(li);
    });
  }

  function clear() {
    current = null;
    grid = null;
    ['alternatives', 'lens', 'neurons', 'neighbours', 'attention-maps'].forEach(function (id) { $(id).textContent = ''; });
    $('detail-title').textContent = 'Each written token opens the step that chose it.';
    drawSoftmax();
  }

  window.TextStep = {
    show: show,
    clear: clear,
    // more of the shown step's attention arrived: all its maps so far
    attentionArrived: function (maps) {
      if (current) { current.attention = maps; drawAttention(); }
    },
    // the temperature slider moved: the same ten alternatives at the new T
    temperatureChanged: drawSoftmax,
    decodeAttention: decodeAttention,
    shown: function () { return current && current.token.index; },
    visible: visible
  };
})();
