// /diffusion: forward process (client-side, from the server's ᾱ_t), reverse process as a `diffuse` run
// streaming `step` events, a guidance grid and pixel-vs-latent through POST /api/diffusion/sample, and
// CLIP's similarity matrix through POST /api/clip/similarity.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const root = $('diffusion');
  const sampleIndices = (root.dataset.sampleIndices || '').split(',').map(Number);
  let alphaBar = null, x0 = null, frames = 0;

  // ---- drawing helpers ----
  // a square image of values in 0..1 (28×28 pixels, or a latent's noise laid out as 14×14)
  function drawImage(canvas, values) {
    const side = Math.round(Math.sqrt(values.length));
    Heat.draw(canvas, values, side, side, Heat.gray);
  }

  function thumbnail(values, title) {
    const c = document.createElement('canvas');
    c.className = 'frame';
    if (title) c.title = title;
    drawImage(c, values);
    return c;
  }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(r.status === 429 ? 'the server is busy, try again in a moment' : (data.detail || r.statusText));
        return data;
      });
    });
  }

  // ---- 1 · forward process ----
  // a seeded Gaussian (mulberry32 + Box–Muller), so sliding t keeps the same ε
  function gaussians(n, seed) {
    let a = seed >>> 0;
    const uniform = function () {
      a = (a + 0x6D2B79F5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
    };
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return out;
  }
  const epsilon = gaussians(784, 42);
  drawImage($('forward-noise'), epsilon.map(function (e) { return (e + 3) / 6; }));

  const pad = DigitPad($('forward-pad'), function () { x0 = pad.pixels(); renderForward(); });

  function renderForward() {
    const t = Number($('forward-t').value);
    $('forward-t-value').textContent = 't = ' + t;
    if (!alphaBar) return;
    const a = alphaBar[t];
    $('forward-xt-caption').textContent = 'x_t: √ᾱ = ' + Math.sqrt(a).toFixed(3) + ', √(1−ᾱ) = ' + Math.sqrt(1 - a).toFixed(3);
    drawCurve(t);
    if (!x0) return;
    // pixels live in −1..1 for diffusion: x = 2p − 1, shown back as (x + 1)/2
    const xt = x0.map(function (p, i) { return (Math.sqrt(a) * (2 * p - 1) + Math.sqrt(1 - a) * epsilon[i] + 1) / 2; });
    drawImage($('forward-xt'), xt);
  }

  function drawCurve(t) {
    const c = $('alpha-bar'), ctx = c.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, c.width, c.height);
    ctx.strokeStyle = '#3b6fd8'; ctx.lineWidth = 2; ctx.beginPath();
    for (let i = 0; i < alphaBar.length; i += 5) {
      const x = i / (alphaBar.length - 1) * (c.width - 10) + 5, y = (1 - alphaBar[i]) * (c.height - 10) + 5;
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    ctx.stroke();
    const mx = t / (alphaBar.length - 1) * (c.width - 10) + 5;
    ctx.strokeStyle = '#d0463b'; ctx.beginPath(); ctx.moveTo(mx, 0); ctx.lineTo(mx, c.height); ctx.stroke();
  }

  function loadRealDigit() {
    const index = sampleIndices[Number($('forward-digit').value)];
    if (!(index >= 0)) return;
    fetch('/api/digits/samples/' + index).then(function (r) { return r.json(); }).then(function (s) {
      pad.show(s.pixels); x0 = s.pixels; renderForward();
    });
  }

  fetch('/api/diffusion/schedule').then(function (r) { return r.json(); }).then(function (s) {
    alphaBar = s.alphaBar; renderForward();
  });
  $('forward-t').addEventListener('input', renderForward);
  $('forward-digit').addEventListener('change', loadRealDigit);
  $('forward-real').addEventListener('click', loadRealDigit);
  $('forward-clear').addEventListener('click', function () { pad.clear(); x0 = null; });
  loadRealDigit();

  // ---- 2 · reverse process ----
  $('diffuse-guidance').addEventListener('input', function () {
    $('diffuse-guidance-value').textContent = $('diffuse-guidance').value;
  });

  function params() {
    const what = $('diffuse-what').value;
    const p = {
      guidance: Number($('diffuse-guidance').value), steps: Number($('diffuse-steps').value),
      sampler: $('diffuse-sampler').value, space: $('diffuse-space').value, seed: Number($('diffuse-seed').value),
      noise: $('diffuse-noise').checked
    };
    if (what === 'digit') p.digit = Number($('diffuse-digit').value);
    if (what === 'prompt') p.prompt = $('diffuse-prompt').value;
    return p;
  }

  const handlers = {
    types: ['step'],
    onEvent: function (type, step) {
      drawImage($('reverse-x'), step.x);
      drawImage($('reverse-x0'), step.x0);
      if (step.noiseConditional) drawImage($('reverse-eps-cond'), step.noiseConditional);
      if (step.noiseUnconditional) drawImage($('reverse-eps-uncond'), step.noiseUnconditional);
      $('reverse-caption').textContent = 'x_t, step ' + (step.index + 1) + ', t = ' + step.t;
      $('reverse-frames').dataset.frames = String(++frames);
    },
    onEnd: function (type, data) {
      $('diffuse-start').disabled = false;
      if (type === 'done') {
        drawImage($('reverse-x'), data.image);
        $('reverse-caption').textContent = 'finished in ' + data.seconds.toFixed(2) + ' s (' + data.steps + ' steps, ' + data.space + ')';
        $('reverse-frames').dataset.done = 'true';
      } else {
        $('run-status').textContent = type + ': ' + (data.message || data.reason || '');
      }
    },
    onBusy: function (seconds) {
      $('diffuse-start').disabled = false;
      $('run-status').textContent = 'The server is busy; try again in ' + seconds + ' s.';
    }
  };

  $('diffuse-form').addEventListener('submit', function (e) {
    e.preventDefault();
    frames = 0;
    $('reverse-frames').dataset.frames = '0';
    delete $('reverse-frames').dataset.done;
    $('diffuse-start').disabled = true;
    RunStream.start('diffuse', params(), handlers).then(function (run) {
      if (run) $('run-status').innerHTML = 'Run <a href="' + run.links.share + '">' + run.id + '</a>';
    }).catch(function (err) {
      $('diffuse-start').disabled = false;
      $('run-status').textContent = 'Could not reach the server: ' + err.message;
    });
  });

  // ---- 3 · guidance grid: one row per w, the same four seeds in every row ----
  $('guidance-grid-start').addEventListener('click', function () {
    const grid = $('guidance-grid');
    grid.innerHTML = '';
    const base = params();
    [0, 1, 3, 7, 15].reduce(function (chain, w) {
      return chain.then(function () {
        return postJson('/api/diffusion/sample', Object.assign({}, base, { guidance: w, count: 4, noise: undefined }))
          .then(function (r) {
            const row = document.createElement('div');
            row.className = 'row';
            const label = document.createElement('span');
            label.textContent = 'w = ' + w;
            row.appendChild(label);
            r.images.forEach(function (img) { row.appendChild(thumbnail(img)); });
            grid.appendChild(row);
          });
      });
    }, Promise.resolve()).catch(function (err) { grid.textContent = err.message; });
  });

  // ---- 4 · pixel vs latent ----
  $('compare-start').addEventListener('click', function () {
    const base = Object.assign(params(), { count: 4, noise: undefined });
    ['pixel', 'latent'].reduce(function (chain, space) {
      return chain.then(function () {
        return postJson('/api/diffusion/sample', Object.assign({}, base, { space: space })).then(function (r) {
          const row = $('compare-' + space);
          row.innerHTML = '';
          r.images.forEach(function (img) { row.appendChild(thumbnail(img)); });
          $('compare-' + space + '-time').textContent = r.seconds.toFixed(2) + ' s for ' + r.images.length
            + ' images × ' + base.steps + ' steps';
        });
      });
    }, Promise.resolve()).catch(function (err) { $('compare-pixel-time').textContent = err.message; });
  });

  // ---- 5 · CLIP similarity ----
  $('clip-start').addEventListener('click', function () {
    const texts = $('clip-texts').value.split('\n').map(function (s) { return s.trim(); })
      .filter(function (s) { return s.length; }).slice(0, 16);
    Promise.all([0, 1, 3, 7, 9].map(function (d) {
      return fetch('/api/digits/samples/' + sampleIndices[d]).then(function (r) { return r.json(); });
    })).then(function (samples) {
      const images = samples.map(function (s) { return s.pixels; });
      return postJson('/api/clip/similarity', { images: images, texts: texts }).then(function (m) {
        const table = $('clip-matrix');
        table.innerHTML = '';
        const head = table.insertRow();
        head.insertCell();
        m.texts.forEach(function (t) { const th = document.createElement('th'); th.textContent = t; head.appendChild(th); });
        m.similarity.forEach(function (row, i) {
          const tr = table.insertRow();
          tr.insertCell().appendChild(thumbnail(images[i]));
          const best = row.indexOf(Math.max.apply(null, row));
          row.forEach(function (s, j) {
            const td = tr.insertCell();
            td.textContent = s.toFixed(2);
            const level = Math.round(Math.max(0, s) * 100);
            td.style.setProperty('--level', level + '%');
            td.className = j === best ? 'best' : '';
          });
        });
      });
    }).catch(function (err) { $('clip-matrix').textContent = err.message; });
  });

  // ---- a shared run (/r/{id}): its settings, its frames replayed ----
  if (root.dataset.sharedRun) {
    const shared = JSON.parse(root.dataset.sharedParams);
    if (shared.digit != null) { $('diffuse-what').value = 'digit'; $('diffuse-digit').value = shared.digit; }
    else if (shared.prompt) { $('diffuse-what').value = 'prompt'; $('diffuse-prompt').value = shared.prompt; }
    else $('diffuse-what').value = 'none';
    ['guidance', 'steps', 'sampler', 'space', 'seed'].forEach(function (k) {
      if (shared[k] != null) $('diffuse-' + k).value = shared[k];
    });
    $('run-status').textContent = 'Shared run ' + root.dataset.sharedRun;
    RunStream.follow('/api/runs/' + encodeURIComponent(root.dataset.sharedRun) + '/events', handlers);
  }
})();
