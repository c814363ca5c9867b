// /text, "Open the model up": one text read by the model, a token picked, and three views of what the model
// computed there — one attention head (POST /api/text/inside: query, keys, scores, weights, values, output),
// the residual stream (same answer: each block's writes, the stream's length, the logit lens) and knockouts
// (POST /api/text/next: the next token with parts switched off). The page draws the answers' numbers as they
// are; it computes none of them. One state object: the text, the picked position, block and head.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const state = { text: null, position: null, layer: 0, head: 0, inside: null };
  let asked = 0;               // answers to older questions are dropped

  function visible(label) { return label.replace(/\n/g, '↵'); }
  function quoted(label) { return '“' + visible(label) + '”'; }
  function fixed(x, digits) { return (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits); }
  function signed(x, digits) { return (x < 0 ? '−' : '+') + Math.abs(x).toFixed(digits); }

  const postJson = window.Api.postJson;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- reading: the text's tokens, one picked ----
  function read(position) {
    state.text = $('inside-text').value;
    state.position = position;
    state.layer = Number($('inside-layer').value);
    state.head = Number($('inside-head').value);
    const body = { text: state.text, layer: state.layer, head: state.head };
    if (position !== null) body.position = position;
    const mine = ++asked;
    $('inside-status').textContent = 'reading…';
    postJson('/api/text/inside', body).then(function (inside) {
      if (mine !== asked) return;
      state.inside = inside;
      state.position = inside.position;
      $('inside-status').textContent = inside.tokens.length + ' tokens; looking at token ' + inside.position
        + ', ' + quoted(inside.tokens[inside.position].label);
      drawTokens(inside);
      drawHead(inside);
      drawResidual(inside);
    }).catch(function (e) {
      if (mine === asked) $('inside-status').textContent = e.message;
    });
  }

  function drawTokens(inside) {
    const box = $('inside-tokens');
    box.textContent = '';
    inside.tokens.forEach(function (t, i) {
      const chip = el('button', 'token inside-token' + (i % 2 ? ' odd' : ' even') + (i === inside.position ? ' selected' : ''),
        visible(t.label));
      chip.type = 'button';
      chip.dataset.index = i;
      chip.title = 'token ' + i + ': ' + quoted(t.label);
      chip.setAttribute('aria-pressed', i === inside.position ? 'true' : 'false');
      box.appendChild(chip);
    });
  }

  $('inside-tokens').addEventListener('click', function (e) {
    const chip = e.target.closest('.inside-token');
    if (chip) read(Number(chip.dataset.index));
  });
  $('inside-read').addEventListener('click', function () { read(null); knockout(); });
  ['inside-layer', 'inside-head'].forEach(function (id) {
    $(id).addEventListener('change', function () { read(state.position); });
  });

  // ---- one head: a strip of d_k coloured cells per vector, rows of keys, scores, weights and values ----
  // blue for positive, red for negative, as strong as the largest |number| of its kind in this answer
  function paint(canvas, vector, scale) {
    const g = canvas.getContext('2d');
    canvas.width = vector.length;
    const image = g.createImageData(vector.length, 1);
    vector.forEach(function (x, i) {
      const s = Math.min(1, Math.abs(x) / (scale || 1));
      const rgb = x >= 0 ? [255 - 202 * s, 255 - 167 * s, 255 - 41 * s] : [255 - 63 * s, 255 - 198 * s, 255 - 212 * s];
      image.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
    });
    g.putImageData(image, 0, 0);
    canvas.vector = vector;
  }

  // a strip tells the number under the pointer (its name, e.g. k₇, is in data-name)
  document.addEventListener('mousemove', function (e) {
    const canvas = e.target;
    if (!canvas.classList || !canvas.classList.contains('qkv-strip') || !canvas.vector) return;
    const r = canvas.getBoundingClientRect();
    const i = Math.min(canvas.vector.length - 1, Math.max(0, Math.floor((e.clientX - r.left) / r.width * canvas.vector.length)));
    canvas.title = canvas.dataset.name + '[' + i + '] = ' + fixed(canvas.vector[i], 3);
  });

  function largest(vectors) {
    let m = 0;
    vectors.forEach(function (v) { v.forEach(function (x) { m = Math.max(m, Math.abs(x)); }); });
    return m;
  }

  function drawHead(inside) {
    const keyScale = largest([inside.query].concat(inside.keys));
    const valueScale = largest(inside.values.concat([inside.output]));
    const query = inside.tokens[inside.position];
    $('qkv-query-token').textContent = quoted(query.label);
    $('qkv-query').dataset.name = 'q';
    paint($('qkv-query'), inside.query, keyScale);
    $('qkv-output').dataset.name = 'o';
    paint($('qkv-output'), inside.output, valueScale);
    let best = 0;
    inside.weights.forEach(function (w, j) { if (w > inside.weights[best]) best = j; });
    const rows = $('qkv-rows');
    rows.textContent = '';
    inside.keys.forEach(function (k, j) {
      const row = el('div', 'qkv-row' + (j === best ? ' qkv-best' : ''));
      row.dataset.key = j;
      row.appendChild(el('span', 'qkv-token', j + ' ' + quoted(inside.tokens[j].label)));
      const key = el('canvas', 'qkv-strip');
      key.height = 1;
      key.dataset.name = 'k' + j;
      paint(key, k, keyScale);
      row.appendChild(key);
      row.appendChild(el('span', 'qkv-score', fixed(inside.scores[j], 2)));
      const weight = el('span', 'qkv-weight');
      const bar = el('span', 'qkv-bar');
      const fill = el('span');
      fill.style.width = (100 * inside.weights[j]).toFixed(1) + '%';
      bar.appendChild(fill);
      weight.appendChild(bar);
      weight.appendChild(el('span', 'qkv-number', inside.weights[j].toFixed(3)));
      row.appendChild(weight);
      const value = el('canvas', 'qkv-strip');
      value.height = 1;
      value.dataset.name = 'v' + j;
      paint(value, inside.values[j], valueScale);
      row.appendChild(value);
      row.title = 'token ' + j + ' ' + quoted(inside.tokens[j].label) + ': s = ' + fixed(inside.scores[j], 4)
        + ', w = ' + inside.weights[j].toFixed(4);
      rows.appendChild(row);
    });
    $('qkv-summary').textContent = 'Block ' + inside.layer + ', head ' + inside.head + ', d_k = ' + inside.headWidth
      + ': ' + quoted(query.label) + ' attends most to token ' + best + ' ' + quoted(inside.tokens[best].label)
      + ' (s = ' + fixed(inside.scores[best], 2) + ', w = ' + inside.weights[best].toFixed(3) + ').';
    const shown = rows.querySelector('.qkv-best');
    if (shown) rows.scrollTop = Math.max(0, shown.offsetTop - rows.offsetTop - rows.clientHeight / 2);
  }

  // ---- the residual stream: per block what was added, how long the stream is, what the lens reads ----
  function drawResidual(inside) {
    const table = $('residual');
    table.textContent = '';
    const head = el('tr', 'residual-heading');
    ['after', 'attention adds ‖a‖, cos(a, x)', 'MLP adds ‖m‖, cos(m, x)', '‖x‖', 'logit lens'].forEach(function (t) {
      head.appendChild(el('th', null, t));
    });
    table.appendChild(head);
    let most = inside.embedding.stream.norm;
    inside.residual.forEach(function (b) { most = Math.max(most, b.stream.norm, b.attentionWrite.norm, b.mlpWrite.norm); });
    table.appendChild(row('embedding', null, null, inside.embedding.stream.norm, inside.embedding.lens, most));
    inside.residual.forEach(function (b) {
      table.appendChild(row('block ' + b.block, b.attentionWrite, b.mlpWrite, b.stream.norm, b.lens, most));
    });
  }

  function row(name, attention, mlp, norm, lens, most) {
    const tr = el('tr');
    tr.appendChild(el('th', null, name));
    [attention, mlp].forEach(function (w, i) {
      const td = el('td', 'residual-write');
      td.dataset.label = i ? 'MLP adds' : 'attention adds';
      if (w) {
        td.appendChild(bar(w.norm, most, fixed(w.norm, 2)));
        td.appendChild(el('span', 'residual-cos' + (w.cosine < 0 ? ' residual-against' : ''), 'cos ' + signed(w.cosine, 2)));
        td.title = '‖write‖ = ' + w.norm.toFixed(4) + ', cos with the stream = ' + w.cosine.toFixed(4);
      } else {
        td.textContent = '—';
      }
      tr.appendChild(td);
    });
    const n = el('td', 'residual-norm');
    n.dataset.label = 'stream ‖x‖';
    n.appendChild(bar(norm, most, fixed(norm, 2)));
    tr.appendChild(n);
    const guesses = el('td', 'residual-lens', lens.slice(0, 3).map(function (a) {
      return quoted(a.label) + ' ' + (100 * a.p).toFixed(0) + '%';
    }).join(' '));
    guesses.dataset.label = 'logit lens';
    tr.appendChild(guesses);
    return tr;
  }

  function bar(x, most, text) {
    const box = el('span', 'residual-bar');
    const fill = el('span');
    fill.style.width = (100 * x / (most || 1)).toFixed(1) + '%';
    box.appendChild(fill);
    const wrap = el('span', 'residual-value');
    wrap.appendChild(el('span', null, text));
    wrap.appendChild(box);
    return wrap;
  }

  // ---- knockouts: the next token with the ticked parts switched off, beside the intact model's ----
  let knocked = 0;
  function knockout() {
    const ablate = [];
    document.querySelectorAll('#knockout-grid input:checked').forEach(function (box) {
      const part = { block: Number(box.dataset.block) };
      if (box.dataset.head !== undefined) part.head = Number(box.dataset.head);
      ablate.push(part);
    });
    const mine = ++knocked;
    postJson('/api/text/next', { text: $('inside-text').value, ablate: ablate }).then(function (next) {
      if (mine !== knocked) return;
      list($('knockout-before'), next.before, 'before');
      list($('knockout-after'), next.after, 'after');
      $('knockout-summary').textContent = ablate.length === 0
        ? 'Nothing is switched off: both columns are the same model. Tick a head or an MLP.'
        : ablate.length + ' part' + (ablate.length > 1 ? 's' : '') + ' off: the prediction moved by KL = '
          + next.klBits.toFixed(3) + ' bits; the top token is ' + quoted(next.after[0].label)
          + (next.after[0].id === next.before[0].id ? ', as before.' : ' instead of ' + quoted(next.before[0].label) + '.');
    }).catch(function (e) {
      if (mine === knocked) $('knockout-summary').textContent = e.message;
    });
  }

  function list(ol, candidates, which) {
    const other = which === 'before' ? 'after' : 'before';
    ol.textContent = '';
    candidates.forEach(function (c, i) {
      const li = el('li', i === 0 ? 'best' : null);
      li.appendChild(el('span', 'tok', visible(c.label)));
      const b = el('span', 'bar');
      const fill = el('span');
      fill.style.width = (100 * c[which]).toFixed(1) + '%';
      b.appendChild(fill);
      li.appendChild(b);
      li.appendChild(el('span', null, (100 * c[which]).toFixed(1) + ' %'));
      li.title = quoted(c.label) + ': p = ' + c[which].toFixed(4) + ' (' + other + ': ' + c[other].toFixed(4) + ')';
      ol.appendChild(li);
    });
  }

  $('knockout-grid').addEventListener('change', knockout);
  $('knockout-clear').addEventListener('click', function () {
    document.querySelectorAll('#knockout-grid input:checked').forEach(function (box) { box.checked = false; });
    knockout();
  });

  read(null);
  knockout();
})();
