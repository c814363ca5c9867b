// /diffusion's longer pieces of work, each through POST /api/diffusion/sample or /api/clip/similarity with the
// form's settings (window.Diffusion, from diffusion.js): the guidance grid, pixel vs latent, CLIP's matrix (and
// through diffusion-clip.js the vectors it is made of).
// Each runs one at a time (its button is off while it works) and shows how far it got.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const D = window.Diffusion;

  // A piece of work with a progress bar: `name` is the prefix of its ids (name-start, name-status, …).
  function Job(name, parts) {
    const button = $(name + '-start'), status = $(name + '-status');
    const bar = $(name + '-progress'), text = $(name + '-progress-text');
    let busy = false;
    return {
      // runs work(step) unless already running; step(done, what) reports progress
      run: function (work) {
        if (busy) return;
        busy = true;
        button.disabled = true;
        status.hidden = false;
        bar.max = parts;
        const started = performance.now();
        const step = function (done, what) { bar.value = done; text.textContent = what; };
        Promise.resolve().then(function () { return work(step); }).then(function () {
          step(parts, 'done in ' + ((performance.now() - started) / 1000).toFixed(1) + ' s');
        }).catch(function (err) {
          text.textContent = err.message;
        }).finally(function () {
          busy = false;
          button.disabled = false;
          status.dataset.state = 'idle';
        });
        status.dataset.state = 'working';
      }
    };
  }

  function row(className, label, images) {
    const r = document.createElement('div');
    r.className = className;
    if (label) r.appendChild(D.span(null, label));
    images.forEach(function (img) { r.appendChild(D.thumbnail(img)); });
    return r;
  }

  // ---- guidance grid: one row per w, the same four seeds in every row ----
  const W = [0, 1, 3, 7, 15];
  const grid = Job('guidance-grid', W.length);
  $('guidance-grid-start').addEventListener('click', function () {
    grid.run(function (step) {
      const into = $('guidance-grid');
      into.textContent = '';
      const base = D.params();
      delete base.noise;
      return W.reduce(function (chain, w, i) {
        return chain.then(function () {
          step(i, 'row ' + (i + 1) + ' of ' + W.length + ' (w = ' + w + ')…');
          return D.postJson('/api/diffusion/sample', Object.assign({}, base, { guidance: w, count: 4 }))
            .then(function (r) { into.appendChild(row('guidance-grid-row', 'w = ' + w, r.images)); });
        });
      }, Promise.resolve());
    });
  });

  // ---- pixel vs latent: the same request in both spaces, timed by the server ----
  const compare = Job('compare', 2);
  $('compare-start').addEventListener('click', function () {
    compare.run(function (step) {
      const base = Object.assign(D.params(), { count: 4 });
      delete base.noise;
      ['pixel', 'latent'].forEach(function (space) {
        $('compare-' + space).textContent = '';
        $('compare-' + space + '-time').textContent = '';
      });
      return ['pixel', 'latent'].reduce(function (chain, space, i) {
        return chain.then(function () {
          step(i, space + ' space: 4 images × ' + base.steps + ' steps…');
          return D.postJson('/api/diffusion/sample', Object.assign({}, base, { space: space })).then(function (r) {
            $('compare-' + space).appendChild(row('diffusion-row', null, r.images));
            $('compare-' + space + '-time').textContent = r.seconds.toFixed(2) + ' s for ' + r.images.length
              + ' images × ' + base.steps + ' steps';
          });
        });
      }, Promise.resolve());
    });
  });

  // ---- CLIP similarity: five held-out digits against the captions, each caption with the words CLIP read ----
  const DIGITS = [0, 1, 3, 7, 9];
  const clip = Job('clip', DIGITS.length + 1);

  // a caption, and under it the words CLIP did not use (struck out), with the whole reading on hover
  function header(text, reading) {
    const th = document.createElement('th');
    th.textContent = text;
    if (reading && (reading.unknown.length || reading.dropped.length)) {
      const note = D.span('clip-reading', '');
      if (reading.unknown.length) {
        note.appendChild(D.span(null, 'unknown: '));
        note.appendChild(D.span('reading-unknown', reading.unknown.join(' ')));
      }
      if (reading.dropped.length) {
        note.appendChild(D.span(null, (reading.unknown.length ? ' · ' : '') + 'dropped: '));
        note.appendChild(D.span('reading-dropped', reading.dropped.join(' ')));
      }
      const whole = D.span(null, '');
      D.showReading(whole, reading);
      th.title = whole.textContent;
      th.appendChild(note);
    }
    return th;
  }

  $('clip-start').addEventListener('click', function () {
    clip.run(function (step) {
      const texts = $('clip-texts').value.split('\n').map(function (s) { return s.trim(); })
        .filter(function (s) { return s.length; }).slice(0, 16);
      const table = $('clip-matrix');
      table.textContent = '';
      ClipVectors.reset();
      let fetched = 0;
      step(0, 'held-out digit 1 of ' + DIGITS.length + '…');
      return Promise.all(DIGITS.map(function (d) {
        return fetch('/api/digits/samples/' + D.sampleIndices[d]).then(function (r) { return r.json(); }).then(function (s) {
          fetched++;
          step(fetched, fetched < DIGITS.length ? 'held-out digit ' + (fetched + 1) + ' of ' + DIGITS.length + '…'
            : 'CLIP: ' + DIGITS.length + ' images × ' + texts.length + ' captions…');
          return s;
        });
      })).then(function (samples) {
        const images = samples.map(function (s) { return s.pixels; });
        return D.postJson('/api/clip/similarity', { images: images, texts: texts }).then(function (m) {
          const head = table.insertRow();
          head.insertCell();
          m.texts.forEach(function (t, j) { head.appendChild(header(t, m.prompts[j])); });
          m.similarity.forEach(function (values, i) {
            const tr = table.insertRow();
            tr.insertCell().appendChild(D.thumbnail(images[i], 'held-out ' + samples[i].label));
            const best = values.indexOf(Math.max.apply(null, values));
            values.forEach(function (s, j) {
              const td = tr.insertCell();
              td.textContent = s.toFixed(2);
              td.title = 'cos(image of a ' + samples[i].label + ', “' + m.texts[j] + '”) = ' + s.toFixed(4);
              td.style.setProperty('--level', Math.round(Math.max(0, s) * 100) + '%');
              td.className = j === best ? 'best' : '';
              td.dataset.i = String(i);
              td.dataset.j = String(j);
            });
          });
          ClipVectors.show(m, samples.map(function (s) { return 'held-out ' + s.label; }), table);
        });
      });
    });
  });

  // arriving from the map's guidance or CLIP card: draw that panel's figure at once
  if (location.hash === '#guidance-panel') $('guidance-grid-start').click();
  if (location.hash === '#clip-panel') $('clip-start').click();
})();
