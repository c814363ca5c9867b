// /diffusion's CLIP vectors: the unit embeddings f (per image) and g (per caption) that /api/clip/similarity
// returns beside its matrix, one strip of cells each, and for the matrix cell the learner picks, the dot
// product written out as the element-wise products f_ik·g_jk and their sum. The matrix's values are the
// server's; the products shown are only the returned vectors multiplied out for the eye.
//
//   ClipVectors.show(answer, labels, table)   // after the matrix is drawn into `table`
//   ClipVectors.reset()
(function () {
  const $ = function (id) { return document.getElementById(id); };
  let answer = null, labels = [];

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function fixed(v, digits) { return (v < 0 ? '−' : '') + Math.abs(v).toFixed(digits); }

  function norm(v) { return Math.sqrt(v.reduce(function (s, x) { return s + x * x; }, 0)); }

  // One cell per number, coloured by value / scale (blue positive, red negative); hover reads it.
  function strip(values, scale, title) {
    const s = el('div', 'vec-strip');
    values.forEach(function (v, k) {
      const c = el('span', 'vec-cell');
      const rgb = Heat.diverging(v / scale);
      c.style.background = 'rgb(' + rgb.map(Math.round).join(',') + ')';
      c.title = title(k, v);
      s.appendChild(c);
    });
    return s;
  }

  function vectorRow(name, values, scale) {
    const row = el('div', 'vec-row');
    const label = el('span', 'vec-label', name);
    label.title = name;
    row.appendChild(label);
    row.appendChild(strip(values, scale, function (k, v) { return name + ', k = ' + (k + 1) + ': ' + fixed(v, 4); }));
    row.appendChild(el('span', 'vec-norm', '‖·‖ = ' + norm(values).toFixed(3)));
    return row;
  }

  function scaleOf(vectors) {
    return vectors.reduce(function (m, v) { return Math.max(m, Heat.maxAbs(v)); }, 1e-12);
  }

  function drawVectors() {
    const box = $('clip-vectors');
    box.textContent = '';
    const scale = scaleOf(answer.imageEmbeddings.concat(answer.textEmbeddings));
    box.appendChild(el('p', 'vec-heading', 'Image embeddings f (d = ' + answer.imageEmbeddings[0].length + ')'));
    answer.imageEmbeddings.forEach(function (f, i) { box.appendChild(vectorRow('f · ' + labels[i], f, scale)); });
    box.appendChild(el('p', 'vec-heading', 'Caption embeddings g (d = ' + answer.textEmbeddings[0].length + ')'));
    answer.textEmbeddings.forEach(function (g, j) { box.appendChild(vectorRow('g · “' + answer.texts[j] + '”', g, scale)); });
    box.appendChild(el('p', 'hint', 'Colours scaled by the largest |value| of all the vectors: ' + scale.toFixed(3) + '.'));
  }

  // The cell (i, j): f_i, g_j, their element-wise products, and the sum beside the server's s_ij.
  function pick(i, j) {
    const f = answer.imageEmbeddings[i], g = answer.textEmbeddings[j], s = answer.similarity[i][j];
    const products = f.map(function (x, k) { return x * g[k]; });
    const sum = products.reduce(function (a, b) { return a + b; }, 0);
    const box = $('clip-dot');
    box.textContent = '';
    box.dataset.shown = 'true';
    box.dataset.image = String(i);
    box.dataset.text = String(j);
    box.appendChild(el('h4', null, 'Cell ' + labels[i] + ' × “' + answer.texts[j] + '”: s = f · g'));
    const scale = scaleOf([f, g]);
    box.appendChild(vectorRow('f', f, scale));
    box.appendChild(vectorRow('g', g, scale));
    const row = el('div', 'vec-row');
    row.appendChild(el('span', 'vec-label', 'f ⊙ g'));
    row.appendChild(strip(products, Heat.maxAbs(products), function (k, p) {
      return 'k = ' + (k + 1) + ': ' + fixed(f[k], 4) + ' × ' + fixed(g[k], 4) + ' = ' + fixed(p, 5);
    }));
    row.appendChild(el('span', 'vec-norm', 'Σ = ' + fixed(sum, 3)));
    box.appendChild(row);
    // the terms in order, the largest contributions first, so the eye sees which dimensions agree
    const order = products.map(function (p, k) { return k; })
      .sort(function (a, b) { return Math.abs(products[b]) - Math.abs(products[a]); });
    const terms = order.slice(0, 6).map(function (k) {
      return '(' + fixed(f[k], 3) + ')(' + fixed(g[k], 3) + ')';
    });
    const top = order.slice(0, 6).reduce(function (a, k) { return a + products[k]; }, 0);
    box.appendChild(el('p', 'clip-dot-sum', 'f · g = Σ of ' + f.length + ' products = ' + terms.join(' + ')
      + ' + … (' + (f.length - 6) + ' smaller terms, together ' + fixed(sum - top, 3) + ') = ' + fixed(sum, 4)
      + ' · the matrix (the model): s = ' + fixed(s, 4)));
    box.appendChild(el('p', 'hint', 'Positive products are dimensions where image and caption agree, negative ones where'
      + ' they disagree; both vectors have length 1, so the sum is at most 1.'));
    document.querySelectorAll('#clip-matrix td.picked').forEach(function (td) { td.classList.remove('picked'); });
    const cell = document.querySelector('#clip-matrix td[data-i="' + i + '"][data-j="' + j + '"]');
    if (cell) cell.classList.add('picked');
  }

  function show(m, names, table) {
    answer = m;
    labels = names;
    $('clip-dimension').textContent = String(m.imageEmbeddings[0].length);
    drawVectors();
    table.querySelectorAll('td[data-i]').forEach(function (td) {
      td.tabIndex = 0;
      td.setAttribute('role', 'button');
      const choose = function () { pick(Number(td.dataset.i), Number(td.dataset.j)); };
      td.addEventListener('click', choose);
      td.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); } });
    });
    // start from the first image's best caption, so the view is filled before anything is picked
    const first = m.similarity[0];
    pick(0, first.indexOf(Math.max.apply(null, first)));
  }

  function reset() {
    answer = null;
    $('clip-vectors').textContent = '';
    $('clip-dot').textContent = '';
    $('clip-dot').dataset.shown = 'false';
  }

  window.ClipVectors = { show: show, reset: reset, pick: pick };
})();
