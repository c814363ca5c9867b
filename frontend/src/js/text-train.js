// /text "Train your own": starts a train-text run, draws its loss curve, lists its samples as they arrive, shows
// each head's attention on the text's first tokens as heatmaps, then writes with the model the run kept
// (POST /api/text/trained/{runId}/generate).
(function () {
  const $ = function (id) { return document.getElementById(id); };
  if (!$('text-own-panel')) return;
  const state = { run: null, losses: [], snippet: [], pattern: null };

  $('text-own-chapter').addEventListener('change', function () {
    $('text-own-text').hidden = $('text-own-chapter').value !== '';
  });

  function params() {
    const p = { tokenizer: $('text-own-tokenizer').value, seconds: Number($('text-own-seconds').value),
      seed: Number($('text-own-seed').value) };
    if ($('text-own-chapter').value) p.chapter = Number($('text-own-chapter').value); else p.text = $('text-own-text').value;
    return p;
  }

  function status(text) { $('text-own-status').textContent = text; }

  function clear() {
    state.losses = []; state.pattern = null;
    $('text-own-samples').replaceChildren(); $('text-own-attention').replaceChildren(); $('text-own-written').textContent = '';
    $('text-own-write').disabled = true; drawLoss();
  }

  const HANDLERS = { types: ['setup', 'metric', 'sample', 'attention'], onEvent: onEvent, onEnd: onEnd };

  $('text-own-start').addEventListener('click', function () {
    clear();
    status('Setting up: learning the tokens, building the model…');
    $('text-own-start').disabled = true;
    RunStream.start('train-text', params(), Object.assign({
      onBusy: function (seconds, problem) {
        $('text-own-start').disabled = false;
        status((problem.detail || 'Every training slot is taken.') + ' Try again in ' + seconds + ' s.');
      }
    }, HANDLERS)).then(function (run) {
      if (!run) { $('text-own-start').disabled = false; return; }
      state.run = run.id;
      $('text-own-stop').disabled = false;
    });
  });

  $('text-own-stop').addEventListener('click', function () {
    if (state.run) fetch('/api/runs/' + state.run, { method: 'DELETE' });
    $('text-own-stop').disabled = true;
  });

  function onEvent(type, d) {
    if (type === 'setup') {
      state.snippet = d.snippet;
      status(d.tokenizer + ' tokenizer, ' + d.vocabulary + ' tokens · ' + d.parameters.toLocaleString('en') +
        ' parameters · training on ' + d.trainingCharacters.toLocaleString('en') + ' characters, ' +
        d.heldOutCharacters.toLocaleString('en') + ' held out · untrained: ' + d.heldOutBitsPerChar.toFixed(2) +
        ' bits per character');
      $('text-own-snippet').textContent = 'The text’s first ' + d.snippet.length + ' tokens: “' + d.snippet.join('·') +
        '”. Each heatmap is a head: row = the token reading, column = the token read (only earlier ones). Hover a cell.';
    } else if (type === 'metric') {
      state.losses.push([d.step, d.loss]);
      drawLoss();
    } else if (type === 'sample') {
      const li = document.createElement('li');
      const step = document.createElement('span');
      step.className = 'text-own-step';
      step.textContent = 'step ' + d.step + ', ' + d.seconds.toFixed(0) + ' s: ';
      li.append(step, document.createTextNode(d.text));
      $('text-own-samples').prepend(li);
    } else if (type === 'attention') {
      state.pattern = d.weights;
      drawHeads();
    }
  }

  function onEnd(type, d) {
    $('text-own-start').disabled = false; $('text-own-stop').disabled = true;
    if (type === 'done') {
      status('Done: ' + d.steps + ' steps, ' + Math.round(d.tokensPerSecond).toLocaleString('en') + ' tokens/s. ' +
        'Held-out bits per character: ' + d.startBitsPerChar.toFixed(2) + ' untrained → ' +
        d.heldOutBitsPerChar.toFixed(2) + ' trained (on the last ' + d.heldOutCharacters.toLocaleString('en') +
        ' characters, never trained on).');
      $('text-own-write').disabled = false;
    } else if (type === 'cancelled') {
      status('Stopped. What it learned so far is kept: write with it below.');
      $('text-own-write').disabled = !state.run;
    } else {
      status((d && (d.message || d.detail)) || 'The run failed.');
    }
  }

  // loss by step on a fixed canvas: x from 0 to the last step, y from 0 to the highest loss
  function drawLoss() {
    const c = $('text-own-loss'), ctx = c.getContext('2d');
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.strokeStyle = '#bbb'; ctx.strokeRect(40.5, 10.5, c.width - 50, c.height - 40);
    if (!state.losses.length) return;
    const maxStep = Math.max(1, state.losses[state.losses.length - 1][0]);
    const maxLoss = Math.max.apply(null, state.losses.map(function (p) { return p[1]; }));
    const x = function (s) { return 40 + (c.width - 50) * s / maxStep; };
    const y = function (l) { return 10 + (c.height - 40) * (1 - l / maxLoss); };
    ctx.fillStyle = '#555'; ctx.font = '11px sans-serif';
    ctx.fillText(maxLoss.toFixed(1), 4, 16); ctx.fillText('0', 28, c.height - 30);
    ctx.fillText('step ' + maxStep, c.width - 70, c.height - 12);
    ctx.strokeStyle = '#2c6fd0'; ctx.lineWidth = 2; ctx.beginPath();
    state.losses.forEach(function (p, i) { if (i) ctx.lineTo(x(p[0]), y(p[1])); else ctx.moveTo(x(p[0]), y(p[1])); });
    ctx.stroke();
  }

  // one small heatmap per head, S × S cells, darker = more attention; hovering names the two tokens and the weight
  function drawHeads() {
    const box = $('text-own-attention');
    box.replaceChildren();
    state.pattern.forEach(function (layer, l) {
      layer.forEach(function (rows, h) {
        const n = rows.length;
        const fig = document.createElement('figure');
        const canvas = document.createElement('canvas');
        canvas.className = 'frame text-own-head'; canvas.width = n; canvas.height = n;
        const ctx = canvas.getContext('2d'), img = ctx.createImageData(n, n);
        for (let q = 0; q < n; q++) {
          for (let k = 0; k < n; k++) {
            const w = k <= q ? rows[q][k] : 0, v = Math.round(255 * (1 - Math.sqrt(w))), i = (q * n + k) * 4;
            img.data[i] = v; img.data[i + 1] = v; img.data[i + 2] = k <= q ? 255 : v; img.data[i + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        canvas.addEventListener('mousemove', function (e) {
          const r = canvas.getBoundingClientRect();
          const q = Math.min(n - 1, Math.floor((e.clientY - r.top) / r.height * n));
          const k = Math.min(n - 1, Math.floor((e.clientX - r.left) / r.width * n));
          $('text-own-cell').textContent = 'block ' + l + ', head ' + h + ': “' + state.snippet[q] + '” (token ' + q +
            ') → “' + state.snippet[k] + '” (token ' + k + '): ' + (k <= q ? rows[q][k].toFixed(2) : 'not visible (later)');
        });
        const caption = document.createElement('figcaption');
        caption.textContent = 'block ' + l + ' head ' + h;
        fig.append(canvas, caption);
        box.append(fig);
      });
    });
  }

  $('text-own-write').addEventListener('click', function () {
    $('text-own-written').textContent = 'Writing…';
    Api.postJson('/api/text/trained/' + state.run + '/generate', { prompt: $('text-own-prompt').value,
      maxTokens: 200, temperature: Number($('text-own-temperature').value), seed: Number($('text-own-seed').value) })
      .then(function (d) { $('text-own-written').textContent = d.text; })
      .catch(function (e) { $('text-own-written').textContent = e.message; });
  });

  // ---- a shared train-text run (/r/{id}): its settings in the form, its events replayed into the panel ----
  const panel = $('text-own-panel');
  if (panel.dataset.sharedRun) {
    const shared = JSON.parse(panel.dataset.sharedParams);
    $('text-own-chapter').value = shared.chapter != null ? String(shared.chapter) : '';
    $('text-own-text').hidden = shared.chapter != null;
    if (shared.text != null) $('text-own-text').value = shared.text;
    $('text-own-tokenizer').value = shared.tokenizer;
    $('text-own-seconds').value = shared.seconds;
    $('text-own-seed').value = shared.seed;
    state.run = panel.dataset.sharedRun;
    clear();
    status('Reading the run’s events…');
    $('text-own-start').disabled = true;   // until it has ended: Start then trains a new run with these settings
    RunStream.follow('/api/runs/' + encodeURIComponent(state.run) + '/events', HANDLERS);
    panel.scrollIntoView({ block: 'start' });
  }
})();
