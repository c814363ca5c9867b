// /text: the panels beside generation — how surprised the model is by a text (a text view: tokens show the
// characters they complete), the same text cut by our tokenizer and GPT-2's (token views: each token as its
// label, with bytes that are not a whole character shown as ⟨C3⟩). The embedding space is text-vectors.js.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const visible = function (text) { return text.replace(/\n/g, '↵\n'); };

  function surprisalColour(bits) { const s = Math.min(1, bits / 12); return 'hsl(10, 85%, ' + (95 - 45 * s).toFixed(0) + '%)'; }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  function chip(text, cls, title) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = visible(text);
    s.title = title;
    return s;
  }

  $('score').addEventListener('click', function () {
    postJson('/api/text/score', { text: $('score-text').value }).then(function (data) {
      const box = $('scored');
      box.textContent = '';
      if (!data.tokens) { $('score-summary').textContent = data.detail || 'The text could not be scored.'; return; }
      const spans = document.createDocumentFragment();
      data.tokens.forEach(function (t) {
        const s = chip(t.text, 'token' + (t.text ? '' : ' token-partial'),
          '"' + t.label + '": ' + t.bits.toFixed(2) + ' bits');
        s.style.background = surprisalColour(t.bits);
        spans.appendChild(s);
      });
      box.appendChild(spans);
      $('score-summary').textContent = data.bitsPerChar.toFixed(2) + ' bits per character, '
        + data.bitsPerToken.toFixed(2) + ' per token';
    });
  });

  $('tokenize').addEventListener('click', function () {
    ['model', 'gpt2'].forEach(function (which) {
      const box = $(which === 'model' ? 'ours' : 'gpt2');
      const count = $(which === 'model' ? 'ours-count' : 'gpt2-count');
      postJson('/api/text/tokenize', { text: $('tokenize-text').value, tokenizer: which }).then(function (data) {
        box.textContent = '';
        if (!data.tokens) { count.textContent = data.detail || 'The text could not be tokenized.'; return; }
        const chips = document.createDocumentFragment();
        data.tokens.forEach(function (t, i) {
          chips.appendChild(chip(t.label, 'token ' + (i % 2 ? 'odd' : 'even'), 'id ' + t.id));
        });
        box.appendChild(chips);
        count.textContent = data.tokens.length + ' tokens';
      });
    });
  });

  if (location.hash === '#tokenize-panel') $('tokenize').click();   // arrived from the map's tokens card
})();
