// /text, "The MLP block": one neuron of one block (GET /api/text/neurons/{block}/{index}) — its terms in the formula,
// the tokens of the training text that fired it most (the firing token marked, its activation a_i) and the tokens its
// output column pushes up and down. Every number is the answer's; the page computes none. A neuron listed by a
// generate step (#neurons, a .neuron-link) opens here too.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const state = { block: Number($('neuron-block').value), index: Number($('neuron-index').value) };
  let asked = 0;               // answers to older questions are dropped

  // a newline as ↵, any other control character as its byte, like the tokenizer's labels (⟨0B⟩)
  function visible(label) {
    return label.replace(/\n/g, '↵').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, function (c) {
      return '⟨' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0') + '⟩';
    });
  }
  function fixed(x, digits) { return (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits); }
  function tex(x, digits) { return (x < 0 ? '-' : '') + Math.abs(x).toFixed(digits); }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(block, index) {
    const max = Number($('neuron-index').max);
    state.block = block;
    state.index = Math.max(0, Math.min(max, Number.isFinite(index) ? Math.round(index) : 0));
    $('neuron-block').value = String(state.block);
    $('neuron-index').value = String(state.index);
    const mine = ++asked;
    $('neuron-summary').textContent = 'reading block ' + state.block + ', neuron ' + state.index + '…';
    window.Api.getJson('/api/text/neurons/' + state.block + '/' + state.index).then(function (neuron) {
      if (mine !== asked) return;
      draw(neuron);
    }).catch(function (e) {
      if (mine === asked) $('neuron-summary').textContent = e.message;
    });
  }

  function draw(n) {
    const top = n.contexts[0];
    $('neuron-summary').textContent = 'Block ' + n.block + ', neuron ' + n.index + ' of ' + n.neurons
      + (top ? ': fires most at “' + visible(top.token.label) + '” (a = ' + fixed(top.activation, 2) + ')' : '')
      + '; pushes up “' + visible(n.up[0].label) + '”, down “' + visible(n.down[0].label) + '”.';
    const i = n.index;
    const terms = $('neuron-terms');
    terms.dataset.tex = '\\begin{gathered} a_{' + i + '} = \\mathrm{GELU}\\big(w_{\\uparrow ' + i + '} \\cdot x '
      + (n.terms.upBias < 0 ? '-' : '+') + ' ' + Math.abs(n.terms.upBias).toFixed(3) + '\\big) \\\\ \\lVert w_{\\uparrow '
      + i + '} \\rVert = ' + tex(n.terms.upNorm, 2) + ', \\qquad \\lVert w_{\\downarrow ' + i + '} \\rVert = '
      + tex(n.terms.downNorm, 3) + ' \\\\ \\text{it adds } a_{' + i + '}\\, w_{\\downarrow ' + i + '} \\text{ to the stream}'
      + ' \\end{gathered}';
    delete terms.dataset.rendered;
    terms.title = 'b↑ = ' + n.terms.upBias.toFixed(4) + ', ‖w↑‖ = ' + n.terms.upNorm.toFixed(4) + ', ‖w↓‖ = '
      + n.terms.downNorm.toFixed(4);
    if (window.Formulas && window.katex) window.Formulas.render(terms.parentNode);
    $('neuron-corpus').textContent = n.corpus.charAt(0).toUpperCase() + n.corpus.slice(1) + '. The marked token is'
      + ' where the neuron fired; the grey text after it is what came next, which the model had not read yet.';
    drawContexts(n);
    pushes($('neuron-up'), n.up);
    pushes($('neuron-down'), n.down);
  }

  function drawContexts(n) {
    const ol = $('neuron-contexts');
    ol.textContent = '';
    const most = n.contexts.length ? Math.abs(n.contexts[0].activation) : 1;
    n.contexts.forEach(function (c) {
      const li = el('li', 'neuron-context');
      const a = el('span', 'neuron-a');
      a.appendChild(el('span', null, 'a = ' + fixed(c.activation, 2)));
      const b = el('span', 'qkv-bar');
      const fill = el('span');
      fill.style.width = (100 * Math.max(0, c.activation) / (most || 1)).toFixed(1) + '%';
      b.appendChild(fill);
      a.appendChild(b);
      li.appendChild(a);
      const quote = el('span', 'neuron-excerpt');
      quote.appendChild(el('span', null, (c.position - c.start > 0 && c.before ? '…' : '') + visible(c.before)));
      quote.appendChild(el('mark', 'neuron-fired', visible(c.token.text || c.token.label)));
      quote.appendChild(el('span', 'neuron-after', visible(c.after) + '…'));
      li.appendChild(quote);
      li.title = 'token ' + c.position + ' of the training text, read with tokens ' + c.start + '..' + c.position
        + ': a = ' + c.activation.toFixed(4);
      ol.appendChild(li);
    });
  }

  function pushes(ol, list) {
    ol.textContent = '';
    const most = Math.abs(list[0].value) || 1;
    list.forEach(function (p) {
      const li = el('li');
      li.appendChild(el('span', 'tok', visible(p.label)));
      const b = el('span', 'bar');
      const fill = el('span');
      fill.style.width = (100 * Math.abs(p.value) / most).toFixed(1) + '%';
      b.appendChild(fill);
      li.appendChild(b);
      li.appendChild(el('span', null, (p.value < 0 ? '−' : '+') + Math.abs(p.value).toFixed(3)));
      li.title = '“' + visible(p.label) + '”: logit ' + (p.value < 0 ? '−' : '+') + Math.abs(p.value).toFixed(4) + ' per unit of a';
      ol.appendChild(li);
    });
  }

  function asPicked() { show(Number($('neuron-block').value), Number($('neuron-index').value)); }
  $('neuron-show').addEventListener('click', asPicked);
  $('neuron-block').addEventListener('change', asPicked);
  $('neuron-index').addEventListener('keydown', function (e) { if (e.key === 'Enter') asPicked(); });
  $('neuron-prev').addEventListener('click', function () { show(state.block, state.index - 1); });
  $('neuron-next').addEventListener('click', function () { show(state.block, state.index + 1); });

  // a neuron named by a generate step opens here
  document.addEventListener('click', function (e) {
    const link = e.target.closest('.neuron-link');
    if (!link) return;
    e.preventDefault();
    show(Number(link.dataset.block), Number(link.dataset.index));
    $('neurons-panel').scrollIntoView({ block: 'start' });
  });

  show(state.block, state.index);
})();
