// /text: a generate run streams `prompt`, `token` and `attention` events. The page only stores them (O(1) per
// event: 512 tokens with attention are ~1,000 events in a second or two) and shows the run through the run
// player, one token per step: render(steps, i) shows the text up to token i and that token's inside view.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const output = $('output');
  const PACE = 150;             // ms per token at 1×: slow enough to read along

  const run = { prompt: [], tokens: [], attention: [], id: null, running: false };
  let drawn = 0;                // token spans in #output (tokens 0..drawn−1)
  let selectedSpan = null;

  const player = RunPlayer($('player'), {
    render: render,
    // tokens are numbered from 0, as in the inside view ("Token 40: …")
    label: function (steps, i) { return 'token ' + i + ' (step ' + (i + 1) + ' of ' + steps.length + ')'; },
    pace: PACE
  });

  // p near 1 → pale green (expected), p near 0 → strong orange (a surprising pick)
  function probabilityColour(p) { return 'hsl(' + (20 + 100 * p).toFixed(0) + ', 80%, ' + (70 + 20 * p).toFixed(0) + '%)'; }

  // A token in a text view shows the characters it completed (empty if it ends inside a character); its own
  // bytes are its label, shown on hover.
  function textSpan(t, cls) {
    const s = document.createElement('span');
    s.className = cls + (t.text ? '' : ' token-partial');
    s.textContent = TextStep.visible(t.text);
    return s;
  }

  // ---- the run as it was at token i ----
  function render(steps, i) {
    if (i + 1 > drawn) {
      const more = document.createDocumentFragment();
      for (let k = drawn; k <= i; k++) more.appendChild(tokenSpan(steps[k]));
      output.appendChild(more);
    } else {
      while (drawn > i + 1) { output.lastChild.remove(); drawn--; }
    }
    drawn = i + 1;
    output.dataset.shown = String(drawn);
    if (selectedSpan) selectedSpan.classList.remove('selected');
    selectedSpan = output.lastChild;
    selectedSpan.classList.add('selected');
    TextStep.show(steps[i], attentionOf(i), function (n) { return keysAt(i, n); });
    keepInView(selectedSpan);   // last: the one layout it forces covers every change above
  }

  function tokenSpan(t) {
    const s = textSpan(t, 'token');
    s.style.background = probabilityColour(t.p);
    s.title = 'token ' + t.index + ': "' + t.label + '", p = ' + t.p.toFixed(3);
    s.dataset.index = t.index;
    s.tabIndex = 0;
    return s;
  }

  // scrolls the text box (not the page) so the newest shown token is visible (#output is positioned)
  function keepInView(span) {
    const bottom = span.offsetTop + span.offsetHeight;
    if (bottom > output.scrollTop + output.clientHeight || bottom < output.scrollTop) {
      output.scrollTop = Math.max(0, bottom - output.clientHeight + 8);
    }
  }

  // token i's attention maps, one per head, decoded from the event's JSON text the first time they are shown;
  // live and replayed runs store the same text, so both decode alike
  function attentionOf(i) {
    if (typeof run.attention[i] === 'string') run.attention[i] = TextStep.decodeAttention(JSON.parse(run.attention[i]));
    return run.attention[i];
  }

  // the labels of the last n tokens read when token i was chosen: the prompt, then tokens 0..i−1
  function keysAt(i, n) {
    const total = run.prompt.length + i, keys = [];
    for (let k = Math.max(0, total - n); k < total; k++) {
      keys.push(k < run.prompt.length ? run.prompt[k].label : run.tokens[k - run.prompt.length].label);
    }
    return keys;
  }

  output.addEventListener('click', function (e) {
    const span = e.target.closest('.token');
    if (span) player.show(Number(span.dataset.index));
  });
  output.addEventListener('keydown', function (e) {
    const span = e.target.closest('.token');
    if (span && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); player.show(Number(span.dataset.index)); }
  });

  // ---- sliders ----
  ['max-tokens', 'temperature', 'top-k', 'top-p'].forEach(function (id) {
    $(id).addEventListener('input', function () {
      $(id + '-value').textContent = $(id).value;
      if (id === 'temperature') TextStep.temperatureChanged();
    });
  });

  // ---- generating ----
  $('generate').addEventListener('click', generate);
  $('stop').addEventListener('click', stop);

  const streamHandlers = {
    types: ['prompt', 'token', 'attention'],
    raw: ['attention'],   // ~1 KB per token: kept as text, parsed only when its token is shown
    onEvent: function (type, data) {
      if (type === 'token') {
        run.tokens.push(data);
        output.dataset.tokens = String(run.tokens.length);
        player.push(data);
      } else if (type === 'attention') {
        // a token's attention (every layer and head) follows its token event, so it belongs to the newest token
        const index = run.tokens.length - 1;
        run.attention[index] = data;
        if (TextStep.shown() === index) attentionLater();
      } else if (type === 'prompt') {
        run.prompt = data.tokens;
        const echo = document.createDocumentFragment();
        data.tokens.forEach(function (t) {
          const s = textSpan(t, 'prompt-token');
          s.title = 'prompt token "' + t.label + '"';
          echo.appendChild(s);
        });
        output.insertBefore(echo, output.firstChild);   // the prompt comes before any written token
      }
    },
    onEnd: function (type, data) {
      run.running = false;
      $('generate').disabled = false;
      $('stop').disabled = true;
      output.dataset.done = 'true';
      output.dataset.end = type;
      player.finish();
      const n = run.tokens.length;
      $('gen-status').textContent = type === 'done'
        ? data.tokens + ' tokens at ' + data.tokensPerSecond.toFixed(0) + ' tokens/s (first token after '
          + data.timeToFirstTokenMs.toFixed(0) + ' ms)'
        : type === 'cancelled' ? 'Stopped: the run was cancelled after ' + n + ' token' + (n === 1 ? '' : 's') + '.'
          : 'The run ended with an error: ' + (data.message || data.reason || data.detail || 'unknown');
    }
  };

  // the shown token's attention arrives just after it: repaint once per frame
  let attentionFrame = null;
  function attentionLater() {
    if (!attentionFrame) {
      attentionFrame = requestAnimationFrame(function () {
        attentionFrame = null;
        const i = TextStep.shown();
        if (i !== null) TextStep.attentionArrived(attentionOf(i));
      });
    }
  }

  function clearOutput() {
    run.prompt = []; run.tokens = []; run.attention = []; run.id = null;
    drawn = 0; selectedSpan = null;
    output.textContent = '';
    output.dataset.tokens = '0';
    output.dataset.shown = '0';
    delete output.dataset.done;
    delete output.dataset.end;
    player.reset();
    TextStep.clear();
  }

  function generate() {
    clearOutput();
    $('gen-status').textContent = 'Writing…';
    $('generate').disabled = true;
    const params = {
      prompt: $('prompt').value,
      maxTokens: Number($('max-tokens').value),
      temperature: Number($('temperature').value),
      topK: Number($('top-k').value),
      topP: Number($('top-p').value),
      seed: Number($('seed').value),
      attention: $('attention').checked
    };
    run.running = true;
    RunStream.start('generate', params, Object.assign({
      onBusy: function (seconds, problem) {
        run.running = false;
        $('generate').disabled = false;
        // the problem says whose limit it is (the caller's rate or runs, or a full server)
        $('gen-status').textContent = ((problem && problem.detail) || 'The server is busy.') + ' Try again in '
          + seconds + ' s.';
      }
    }, streamHandlers)).then(function (started) {
      if (!started) return;
      run.id = started.id;
      if (run.running) $('stop').disabled = false;
      const status = $('run-status');
      status.textContent = 'Run ';
      const a = document.createElement('a');
      a.href = started.links.share;
      a.textContent = started.id;
      status.appendChild(a);
      status.append(' · ', compareLink(started.id));
    }).catch(function (e) {
      run.running = false;
      $('generate').disabled = false;
      $('gen-status').textContent = 'Could not reach the server: ' + e.message;
    });
  }

  // Stop asks the server to cancel the run (it ends `cancelled` between two tokens) and pauses the display
  function stop() {
    if (!run.id || !run.running) return;
    $('stop').disabled = true;
    $('gen-status').textContent = 'Stopping…';
    player.play(false);
    fetch('/api/runs/' + encodeURIComponent(run.id), { method: 'DELETE' }).catch(function (e) {
      $('gen-status').textContent = 'Could not stop the run: ' + e.message;
    });
  }

  // "compare with…": pick a second generation to step through side by side (/compare)
  function compareLink(id) {
    const a = document.createElement('a');
    a.href = '/compare?a=' + encodeURIComponent(id);
    a.textContent = 'compare with…';
    return a;
  }

  // ---- a shared run (/r/{id}): its settings in the form; its events read at once, played from token 0 ----
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
    $('run-status').textContent = 'Shared run ' + output.dataset.sharedRun + ' · ';
    $('run-status').appendChild(compareLink(output.dataset.sharedRun));
    RunStream.follow('/api/runs/' + encodeURIComponent(output.dataset.sharedRun) + '/events', streamHandlers);
  } else if (location.hash === '#softmax-panel' || location.hash === '#next-token-panel') {
    // arrived from the map's softmax or logits card: those panels show a generation's steps, so generate one
    $('generate').click();
  }
})();
