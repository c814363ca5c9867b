// /text: a generate run streams `prompt`, `token` and `attention` events; click a token to look inside its step.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const output = $('output');
  let promptTokens = [];      // [{id, text}]
  let written = [];           // token events in order
  let attention = {};         // index → [{layer, head, weights}]
  let selected = null;
  let running = null;

  function visible(text) { return text.replace(/\n/g, '↵\n'); }

  // ---- sliders ----
  ['max-tokens', 'temperature', 'top-k', 'top-p'].forEach(function (id) {
    $(id).addEventListener('input', function () {
      $(id + '-value').textContent = $(id).value;
      if (id === 'temperature' && selected !== null) drawSoftmax(written[selected]);
    });
  });

  // ---- generating ----
  $('generate').addEventListener('click', generate);
  $('stop').addEventListener('click', function () {
    if (running) fetch('/api/runs/' + running, { method: 'DELETE' });
  });

  const streamHandlers = {
    types: ['prompt', 'token', 'attention'],
    onEvent: onEvent,
    onEnd: function (type, data) {
      running = null;
      $('generate').disabled = false;
      $('stop').disabled = true;
      output.dataset.done = 'true';
      $('gen-status').textContent = type === 'done'
        ? data.tokens + ' tokens at ' + data.tokensPerSecond.toFixed(0) + ' tokens/s (first token after '
          + data.timeToFirstTokenMs.toFixed(0) + ' ms)'
        : type + ': ' + (data.message || data.reason || data.detail || '');
    }
  };

  function clearOutput() {
    promptTokens = []; written = []; attention = {}; selected = null;
    output.innerHTML = '';
    output.dataset.tokens = '0';
    $('gen-status').textContent = 'Writing…';
    $('generate').disabled = true;
  }

  function generate() {
    clearOutput();
    const params = {
      prompt: $('prompt').value,
      maxTokens: Number($('max-tokens').value),
      temperature: Number($('temperature').value),
      topK: Number($('top-k').value),
      topP: Number($('top-p').value),
      seed: Number($('seed').value),
      attention: $('attention').checked
    };
    RunStream.start('generate', params, Object.assign({
      onBusy: function (seconds) {
        $('generate').disabled = false;
        $('gen-status').textContent = 'The server is busy; try again in ' + seconds + ' s.';
      }
    }, streamHandlers)).then(function (run) {
      if (run) {
        running = run.id;
        $('stop').disabled = false;
        $('run-status').innerHTML = 'Run <a href="' + run.links.self + '">' + run.id + '</a>';
      }
    }).catch(function (e) {
      $('generate').disabled = false;
      $('gen-status').textContent = 'Could not reach the server: ' + e.message;
    });
  }

  function onEvent(type, data) {
    if (type === 'prompt') {
      promptTokens = data.tokens;
      data.tokens.forEach(function (t) { output.appendChild(span(t.text, 'prompt-token')); });
    } else if (type === 'token') {
      written[data.index] = data;
      const s = span(data.text, 'token');
      s.style.background = probabilityColour(data.p);
      s.title = 'p = ' + data.p.toFixed(3);
      s.dataset.index = data.index;
      s.tabIndex = 0;
      s.addEventListener('click', function () { select(data.index); });
      output.appendChild(s);
      output.dataset.tokens = String(written.length);
      if (selected === null || selected === data.index - 1) select(data.index);
    } else if (type === 'attention') {
      (attention[data.index] = attention[data.index] || []).push(data);
      if (selected === data.index) drawAttention(data.index);
    }
  }

  function span(text, cls) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = visible(text);
    return s;
  }

  // p near 1 → pale green (expected), p near 0 → strong orange (a surprising pick)
  function probabilityColour(p) { return 'hsl(' + (20 + 100 * p).toFixed(0) + ', 80%, ' + (70 + 20 * p).toFixed(0) + '%)'; }
  function surprisalColour(bits) { const s = Math.min(1, bits / 12); return 'hsl(10, 85%, ' + (95 - 45 * s).toFixed(0) + '%)'; }

  // ---- one step's insides ----
  function select(index) {
    selected = index;
    document.querySelectorAll('#output .selected').forEach(function (e) { e.classList.remove('selected'); });
    const el = output.querySelector('[data-index="' + index + '"]');
    if (el) el.classList.add('selected');
    const t = written[index];
    $('detail-title').textContent = 'Token ' + index + ': "' + visible(t.text) + '" with p = ' + t.p.toFixed(3);
    $('alternatives').innerHTML = '';
    t.top.forEach(function (a) {
      const li = document.createElement('li');
      if (a.id === t.id) li.className = 'best';
      li.innerHTML = '<span class="tok"></span><span class="bar"><span></span></span><span></span>';
      li.children[0].textContent = visible(a.text);
      li.children[1].firstChild.style.width = (100 * a.p).toFixed(1) + '%';
      li.children[2].textContent = (100 * a.p).toFixed(1) + ' %';
      $('alternatives').appendChild(li);
    });
    drawSoftmax(t);
    drawLens(t);
    drawNeurons(t);
    drawAttention(index);
    neighbours(t.id);
  }

  // softmax(z/T) over the ten alternatives: log p = z − const, so p^(1/T) renormalised is exactly that
  function drawSoftmax(t) {
    const canvas = $('softmax'), g = canvas.getContext('2d');
    const temperature = Math.max(0.01, Number($('temperature').value));
    const weights = t.top.map(function (a) { return Math.exp(Math.log(Math.max(a.p, 1e-12)) / temperature); });
    const sum = weights.reduce(function (x, y) { return x + y; }, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    const w = canvas.width / weights.length;
    weights.forEach(function (x, i) {
      const h = (canvas.height - 18) * x / sum;
      g.fillStyle = t.top[i].id === t.id ? '#2e7d32' : '#3558d6';
      g.fillRect(i * w + 2, canvas.height - 18 - h, w - 4, h);
      g.fillStyle = '#333';
      g.font = '10px sans-serif';
      g.fillText(t.top[i].text.slice(0, 6), i * w + 2, canvas.height - 4);
    });
  }

  function drawLens(t) {
    const table = $('lens');
    table.innerHTML = '<tr><th>after</th><th>‖x‖</th><th>lens guesses</th></tr>';
    (t.logitLens || []).forEach(function (layer) {
      const tr = document.createElement('tr');
      const guesses = layer.top.map(function (a) { return '"' + visible(a.text) + '" ' + (100 * a.p).toFixed(0) + '%'; });
      [layer.layer === 0 ? 'embedding' : 'block ' + (layer.layer - 1), t.residualNorms[layer.layer].toFixed(1),
        guesses.join(', ')].forEach(function (text) {
        const td = document.createElement('td'); td.textContent = text; tr.appendChild(td);
      });
      table.appendChild(tr);
    });
  }

  function drawNeurons(t) {
    $('neurons').innerHTML = '';
    (t.neurons || []).forEach(function (layer) {
      const li = document.createElement('li');
      li.textContent = 'block ' + layer.layer + ': ' + layer.top.map(function (n) {
        return '#' + n.index + ' (' + n.activation.toFixed(2) + ')';
      }).join(', ');
      $('neurons').appendChild(li);
    });
  }

  // keys are the last weights.length tokens of the text, ending with the token read at this step
  function drawAttention(index) {
    const box = $('attention-maps');
    box.innerHTML = '';
    const maps = attention[index];
    if (!maps) { box.textContent = $('attention').checked ? '' : 'Tick "attention" and generate again.'; return; }
    const all = promptTokens.map(function (t) { return t.text; })
      .concat(written.slice(0, index).map(function (t) { return t.text; }));
    const n = maps[0].weights.length;
    const keys = all.slice(Math.max(0, all.length - n));
    const shown = Math.min(n, 24); // the most recent keys fit on screen
    const table = document.createElement('table');
    table.className = 'attention';
    const head = document.createElement('tr');
    head.appendChild(document.createElement('th'));
    keys.slice(keys.length - shown).forEach(function (k) {
      const th = document.createElement('th'); th.textContent = visible(k); head.appendChild(th);
    });
    table.appendChild(head);
    maps.forEach(function (m) {
      const tr = document.createElement('tr');
      const th = document.createElement('th'); th.textContent = 'L' + m.layer + ' H' + m.head; tr.appendChild(th);
      m.weights.slice(n - shown).forEach(function (w) {
        const td = document.createElement('td');
        // √w so that weak but real attention stays visible next to a strong one
        td.style.background = 'rgba(53, 88, 214, ' + Math.sqrt(Math.min(1, w)).toFixed(3) + ')';
        td.title = w.toFixed(3);
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function neighbours(id) {
    fetch('/api/text/embeddings/neighbours?id=' + id + '&count=8').then(function (r) { return r.json(); })
      .then(function (data) {
        $('neighbours').innerHTML = '';
        data.neighbours.forEach(function (n) {
          const li = document.createElement('li');
          li.textContent = '"' + visible(n.text) + '"  cos ' + n.cosine.toFixed(2) + ' · dot ' + n.dot.toFixed(2);
          $('neighbours').appendChild(li);
        });
      });
  }

  // ---- scoring and tokenizing ----
  function postJson(url, body) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }

  $('score').addEventListener('click', function () {
    postJson('/api/text/score', { text: $('score-text').value }).then(function (data) {
      const box = $('scored');
      box.innerHTML = '';
      if (!data.tokens) { $('score-summary').textContent = data.detail || 'error'; return; }
      data.tokens.forEach(function (t) {
        const s = span(t.text, 'token');
        s.style.background = surprisalColour(t.bits);
        s.title = t.bits.toFixed(2) + ' bits';
        box.appendChild(s);
      });
      $('score-summary').textContent = data.bitsPerChar.toFixed(2) + ' bits per character, '
        + data.bitsPerToken.toFixed(2) + ' per token';
    });
  });

  $('tokenize').addEventListener('click', function () {
    ['model', 'gpt2'].forEach(function (which) {
      postJson('/api/text/tokenize', { text: $('tokenize-text').value, tokenizer: which }).then(function (data) {
        const box = $(which === 'model' ? 'ours' : 'gpt2');
        box.innerHTML = '';
        (data.tokens || []).forEach(function (t, i) {
          const s = span(t.text, 'token ' + (i % 2 ? 'odd' : 'even'));
          s.title = 'id ' + t.id;
          box.appendChild(s);
        });
        $(which === 'model' ? 'ours-count' : 'gpt2-count').textContent = (data.tokens || []).length + ' tokens';
      });
    });
  });

  // ---- the embedding map ----
  fetch('/api/text/embeddings/projection').then(function (r) { return r.json(); }).then(function (points) {
    const canvas = $('projection'), g = canvas.getContext('2d');
    const xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    const minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    const minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    g.font = '9px sans-serif';
    points.forEach(function (p) {
      const x = 10 + (canvas.width - 40) * (p.x - minX) / (maxX - minX || 1);
      const y = 10 + (canvas.height - 20) * (p.y - minY) / (maxY - minY || 1);
      g.fillStyle = p.id < 256 ? '#b0b6c3' : '#3558d6';
      if (p.id % 7 === 0 && p.text.trim().length > 1) g.fillText(p.text.trim(), x + 2, y);
      g.fillRect(x - 1, y - 1, 2, 2);
    });
  });
  // ---- a shared run (/r/{id}): its settings in the form, its text replayed at the pace it was written ----
  if (output.dataset.sharedRun) {
    const shared = JSON.parse(output.dataset.sharedParams);
    $('prompt').value = shared.prompt;
    [['max-tokens', 'maxTokens'], ['temperature', 'temperature'], ['top-k', 'topK'], ['top-p', 'topP']]
      .forEach(function (f) {
        if (shared[f[1]] !== undefined) {
          $(f[0]).value = shared[f[1]];
          $(f[0]).dispatchEvent(new Event('input'));
        }
      });
    if (shared.seed !== undefined) $('seed').value = shared.seed;
    $('attention').checked = !!shared.attention;
    clearOutput();
    $('run-status').textContent = 'Shared run ' + output.dataset.sharedRun;
    RunStream.follow('/api/runs/' + encodeURIComponent(output.dataset.sharedRun) + '/events?speed=1',
      streamHandlers);
  }
})();
