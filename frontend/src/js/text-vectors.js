// /text#embedding-panel: vectors and dot products on the model's own token embeddings W_E. Search a token (its
// nearest tokens by cosine, each with the dot product and the lengths that make the cosine), vector arithmetic
// a − b + c, and the 2-D projection: hover or tap a point to name it; the searched token, its neighbours and the
// arithmetic's result are marked on it. Every number is the API's (EmbeddingsApi); nothing is recomputed here.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const canvas = $('projection');
  if (!canvas) return;
  const g = canvas.getContext('2d');
  const PAD = 14;

  // one state for the panel: what is drawn is a function of it
  const state = {
    points: [],         // {id, label, x, y} from the API, and px, py: where each is drawn on the canvas
    search: null,       // {id, near: [ids]}
    arithmetic: null,   // {x, y: r's place, inputs: [a, b, c ids], near: [ids]}
    hover: null         // a point
  };

  // a token as the learner reads it: spaces made visible (␣), since " whale" and "whale" are different tokens
  function shown(label) { return label.replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥'); }
  function number(x, digits) { return (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits); }
  function tex(x, digits) { return x.toFixed(digits); }

  function tokenChip(label, cls) {
    const s = document.createElement('span');
    s.className = 'vec-token' + (cls ? ' ' + cls : '');
    s.textContent = shown(label);
    return s;
  }

  // ---- the projection ----
  function place(x, y, box) {
    return [PAD + (canvas.width - 2 * PAD) * (x - box.minX) / (box.maxX - box.minX || 1),
      PAD + (canvas.height - 2 * PAD) * (y - box.minY) / (box.maxY - box.minY || 1)];
  }

  let box = null;
  function draw() {
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!box) return;     // the points are still on their way; what is asked meanwhile is drawn once they come
    g.font = '10px sans-serif';
    g.textBaseline = 'middle';
    const marked = state.search || state.arithmetic;
    state.points.forEach(function (p) {
      g.fillStyle = p.id < 256 ? '#c3c8d2' : (marked ? '#9fb1e8' : '#3558d6');
      g.fillRect(p.px - 1, p.py - 1, 2, 2);
      if (!marked && p.id % 7 === 0 && p.label.trim().length > 1) {
        g.fillStyle = '#7d8597';
        g.fillText(p.label.trim(), p.px + 3, p.py);
      }
    });
    if (state.search) {
      const at = state.points[state.search.id];
      state.search.near.forEach(function (id) {
        const p = state.points[id];
        g.strokeStyle = 'rgba(224, 122, 20, .5)';
        g.beginPath(); g.moveTo(at.px, at.py); g.lineTo(p.px, p.py); g.stroke();
        ring(p, '#e07a14', 4);
        label(p, '#a5540a');
      });
      g.fillStyle = '#c2410c';
      g.beginPath(); g.arc(at.px, at.py, 5, 0, 2 * Math.PI); g.fill();
      label(at, '#7c2d12', 'bold 12px sans-serif');
    }
    if (state.arithmetic) {
      const r = state.arithmetic;
      const at = place(r.x, r.y, box);
      r.inputs.forEach(function (id) { const p = state.points[id]; ring(p, '#7c3aed', 3); label(p, '#5b21b6'); });
      r.near.forEach(function (id, i) { const p = state.points[id]; ring(p, '#15803d', i === 0 ? 6 : 4); label(p, '#166534', i === 0 ? 'bold 12px sans-serif' : null); });
      g.strokeStyle = '#7c3aed';
      g.lineWidth = 2.5;
      g.beginPath(); g.moveTo(at[0] - 7, at[1]); g.lineTo(at[0] + 7, at[1]); g.moveTo(at[0], at[1] - 7); g.lineTo(at[0], at[1] + 7); g.stroke();
      g.lineWidth = 1;
      g.fillStyle = '#5b21b6';
      g.font = 'bold 11px sans-serif';
      g.fillText('a − b + c', at[0] + 9, at[1] - 9);
    }
    if (state.hover) {
      ring(state.hover, '#111827', 6);
      label(state.hover, '#111827', 'bold 13px sans-serif', true);
    }
  }

  function ring(p, colour, radius) {
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath(); g.arc(p.px, p.py, radius, 0, 2 * Math.PI); g.stroke();
    g.lineWidth = 1;
  }

  // a label beside its point, kept inside the canvas, on a pale box so it reads over the cloud
  function label(p, colour, font, boxed) {
    g.font = font || '11px sans-serif';
    const text = shown(p.label);
    const w = g.measureText(text).width;
    const x = p.px + 8 + w > canvas.width ? p.px - 8 - w : p.px + 8;
    if (boxed) {
      g.fillStyle = 'rgba(255, 255, 255, .9)';
      g.fillRect(x - 2, p.py - 9, w + 4, 18);
    }
    g.fillStyle = colour;
    g.fillText(text, x, p.py);
  }

  // the point under the pointer (within 12 screen pixels), the canvas being scaled by CSS
  function pointAt(event) {
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    const x = (event.clientX - rect.left) * scale, y = (event.clientY - rect.top) * scale;
    let best = null, bestDistance = 12 * scale;
    state.points.forEach(function (p) {
      const d = Math.hypot(p.px - x, p.py - y);
      if (d < bestDistance) { best = p; bestDistance = d; }
    });
    return best;
  }

  function name(p) {
    state.hover = p;
    canvas.title = p ? '"' + shown(p.label) + '", id ' + p.id : '';
    $('vec-point').textContent = p
      ? '“' + shown(p.label) + '”, token ' + p.id + ' at (' + number(p.x, 2) + ', ' + number(p.y, 2) + ')'
      : 'Hover or tap a point to name it; tap to find its neighbours.';
    draw();
  }

  canvas.addEventListener('pointermove', function (e) { if (e.pointerType === 'mouse') name(pointAt(e)); });
  canvas.addEventListener('pointerleave', function (e) { if (e.pointerType === 'mouse') name(null); });
  canvas.addEventListener('click', function (e) {
    const p = pointAt(e);
    name(p);
    if (p) search('id=' + p.id, '“' + shown(p.label) + '” (picked on the map)');
  });

  // ---- nearest tokens by cosine ----
  // one row per token e near the query q: q·e, ‖e‖ and cos θ = q·e / (‖q‖ ‖e‖), as the API gave them
  function neighbourRows(table, rows, q, e) {
    table.textContent = '';
    const head = table.insertRow();
    ['token ' + e, q + '·' + e, '‖' + e + '‖', 'cos θ'].forEach(function (h) {
      const th = document.createElement('th'); th.textContent = h; head.appendChild(th);
    });
    rows.forEach(function (n, i) {
      const tr = table.insertRow();
      tr.className = i === 0 ? 'vec-top' : '';
      tr.insertCell().appendChild(tokenChip(n.label));
      tr.insertCell().textContent = number(n.dot, 3);
      tr.insertCell().textContent = number(n.norm, 3);
      tr.insertCell().textContent = number(n.cosine, 3);
    });
  }

  function search(query, asked) {
    $('vec-pieces').textContent = 'Reading ' + asked + '…';
    Api.getJson('/api/text/embeddings/neighbours?' + query + '&count=10').then(function (data) {
      const pieces = $('vec-pieces');
      pieces.textContent = '';
      if (data.pieces.length > 1) {
        pieces.append(asked + ' is ' + data.pieces.length + ' tokens of the model: ');
        data.pieces.forEach(function (t) {
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'vec-piece' + (t.id === data.id ? ' selected' : '');
          b.textContent = shown(t.label);
          b.addEventListener('click', function () { search('id=' + t.id, '“' + shown(t.label) + '”'); });
          pieces.appendChild(b);
        });
        pieces.append(' Showing the first; tap another to see its neighbours.');
      } else {
        pieces.append(asked + ' is one token, id ' + data.id + ', of length ‖a‖ = ' + number(data.norm, 3) + '.');
      }
      const top = data.neighbours[0];
      const pair = $('vec-pair');
      pair.textContent = '';
      pair.append('a = ', tokenChip(data.label), ', b = ', tokenChip(top.label, 'vec-near'), ', its nearest:');
      const formula = $('vec-formula');
      // two lines, so it fits a phone: the definition, then its terms with this pair's numbers
      formula.dataset.tex = '\\begin{aligned} \\cos\\theta &= \\frac{a \\cdot b}{\\lVert a \\rVert \\, \\lVert b \\rVert} \\\\ &= \\frac{'
        + tex(top.dot, 3) + '}{' + tex(data.norm, 3) + ' \\times ' + tex(top.norm, 3) + '} = ' + tex(top.cosine, 3)
        + ' \\end{aligned}';
      delete formula.dataset.rendered;
      if (window.Formulas) Formulas.render(formula.parentElement);
      neighbourRows($('vec-neighbours'), data.neighbours, 'a', 'b');
      state.search = { id: data.id, near: data.neighbours.map(function (n) { return n.id; }) };
      draw();
    }).catch(function (e) { $('vec-pieces').textContent = e.message; });
  }

  // the learner's word read as they ask: mid-sentence words carry their leading space
  function asToken(text, withSpace) {
    return withSpace && text && !/^\s/.test(text) ? ' ' + text : text;
  }

  function searchTyped() {
    const token = asToken($('vec-search').value, $('vec-space').checked);
    search('token=' + encodeURIComponent(token), '“' + shown(token) + '”');
  }

  $('vec-search-form').addEventListener('submit', function (e) { e.preventDefault(); searchTyped(); });

  // ---- a − b + c ----
  function computeArithmetic() {
    const space = $('vec-arith-space').checked;
    const body = { a: asToken($('vec-a').value, space), b: asToken($('vec-b').value, space),
      c: asToken($('vec-c').value, space), count: 8 };
    const summary = $('vec-arith-summary');
    summary.textContent = 'Computing…';
    Api.postJson('/api/text/embeddings/arithmetic', body).then(function (data) {
      summary.textContent = '';
      summary.append('r = ', tokenChip(data.a.label), ' − ', tokenChip(data.b.label), ' + ', tokenChip(data.c.label),
        ', ‖r‖ = ' + number(data.norm, 3) + '. Nearest: ', tokenChip(data.neighbours[0].label, 'vec-answer'),
        ' (cos θ = ' + number(data.neighbours[0].cosine, 3) + ').');
      neighbourRows($('vec-arith'), data.neighbours, 'r', 'e');
      state.arithmetic = { x: data.x, y: data.y, inputs: [data.a.id, data.b.id, data.c.id],
        near: data.neighbours.slice(0, 3).map(function (n) { return n.id; }) };
      draw();
    }).catch(function (err) {
      // a 400 names the box (a, b or c) and the pieces a text that is not one token reads as
      summary.textContent = err.message;
      $('vec-arith').textContent = '';
      state.arithmetic = null;
      draw();
    });
  }

  $('vec-arith-form').addEventListener('submit', function (e) { e.preventDefault(); computeArithmetic(); });

  Api.getJson('/api/text/embeddings/projection').then(function (points) {
    const xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    box = { minX: Math.min.apply(null, xs), maxX: Math.max.apply(null, xs),
      minY: Math.min.apply(null, ys), maxY: Math.max.apply(null, ys) };
    state.points = points.map(function (p) {
      const at = place(p.x, p.y, box);
      return { id: p.id, label: p.label, x: p.x, y: p.y, px: at[0], py: at[1] };
    });
    canvas.classList.add('vec-ready');
    draw();
    // the panel opens filled: the example word's neighbours and the example arithmetic
    searchTyped();
    computeArithmetic();
  }).catch(function (e) { $('vec-point').textContent = e.message; });
})();
