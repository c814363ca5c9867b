// /diffusion, inside the U-Net as the run player steps: each level's feature maps, each cross-attention's
// maps (one per word), and in latent space the 7×7×4 latent. Every number comes from the run's step events
// (the U-Net's own forward pass); this file only draws them. diffusion.js calls render(steps, i) and reset().
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const PART = { encoder: 'encoder', bottleneck: 'bottleneck', decoder: 'decoder' };
  let shownInside = null;   // the inside drawn now, so a level change redraws it

  function canvas(className, title) {
    const c = document.createElement('canvas');
    c.className = 'frame ' + className;
    if (title) c.title = title;
    return c;
  }

  // raw activations: blue positive, red negative, scaled by the picture's largest |value|
  function drawSigned(c, values, side) {
    const m = Heat.maxAbs(values);
    Heat.draw(c, values.map(function (v) { return v / m; }), side, side, Heat.diverging);
  }

  function features(inside) {
    const box = $('inside-features');
    box.textContent = '';
    inside.features.forEach(function (level) {
      const row = document.createElement('div');
      row.className = 'inside-level inside-' + level.part;
      row.dataset.level = level.level;
      const label = document.createElement('p');
      label.className = 'inside-level-label';
      label.textContent = (PART[level.part] || level.part) + ' · ' + level.level + ' · ' + level.side + '×' + level.side
        + ', ' + level.width + ' channels';
      row.appendChild(label);
      const maps = document.createElement('div');
      maps.className = 'inside-maps';
      level.maps.forEach(function (values, k) {
        const figure = document.createElement('figure');
        const c = canvas('inside-map', level.level + ' channel ' + level.channels[k]);
        drawSigned(c, values, level.side);
        const caption = document.createElement('figcaption');
        caption.textContent = 'ch ' + level.channels[k] + ' · ±' + Heat.maxAbs(values).toFixed(2);
        figure.appendChild(c);
        figure.appendChild(caption);
        maps.appendChild(figure);
      });
      row.appendChild(maps);
      // a U on wide screens: encoder levels down the left, decoder levels up the right, the bottleneck below
      const n = Number(level.level.replace(/\D/g, ''));
      if (level.part === 'bottleneck') {
        row.style.gridRow = String((inside.features.length - 1) / 2 + 1);
        row.style.gridColumn = '1 / -1';
      } else {
        row.style.gridRow = String(n + 1);
        row.style.gridColumn = level.part === 'encoder' ? '1' : '2';
      }
      box.appendChild(row);
    });
  }

  function levelOptions(inside) {
    const select = $('attention-level');
    const names = inside.attention.map(function (a) { return a.level; });
    const current = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (current.join() === names.join()) return;
    const keep = select.value;
    select.textContent = '';
    inside.attention.forEach(function (a) {
      const o = document.createElement('option');
      o.value = a.level;
      o.textContent = (PART[a.part] || a.part) + ' · ' + a.level + ' (' + a.side + '×' + a.side + ')';
      select.appendChild(o);
    });
    if (names.indexOf(keep) >= 0) select.value = keep;
  }

  // One map per word: each pixel's weight on that word (0 black … 1 yellow); then one pixel's numbers.
  function attention(inside) {
    levelOptions(inside);
    const chosen = inside.attention.find(function (a) { return a.level === $('attention-level').value; })
      || inside.attention[0];
    const box = $('attention-maps');
    box.textContent = '';
    box.dataset.level = chosen.level;
    const pixels = chosen.weights.length;
    // one scale for every word's map at this level: its largest weight is brightest
    let top = 1e-6;
    chosen.weights.forEach(function (row) { row.forEach(function (w) { top = Math.max(top, w); }); });
    $('attention-scale').textContent = 'Black is weight 0, yellow the largest weight at this level ('
      + top.toFixed(3) + '); under each map, the word and its mean weight over the ' + pixels + ' pixels.';
    inside.tokens.forEach(function (token, k) {
      const values = chosen.weights.map(function (row) { return row[k] / top; });
      const figure = document.createElement('figure');
      const c = canvas('attention-map', 'attention to ' + token);
      Heat.draw(c, values, chosen.side, chosen.side, Heat.sequential);
      const caption = document.createElement('figcaption');
      let mean = 0;
      chosen.weights.forEach(function (row) { mean += row[k]; });
      caption.textContent = token + ' · ' + (mean / pixels).toFixed(2);
      caption.title = 'mean weight over the pixels';
      figure.appendChild(c);
      figure.appendChild(caption);
      box.appendChild(figure);
    });
    // the live example: the centre pixel's weights over the words, and their sum
    const centre = Math.floor(chosen.side / 2) * chosen.side + Math.floor(chosen.side / 2);
    const row = chosen.weights[centre];
    let sum = 0;
    row.forEach(function (w) { sum += w; });
    $('attention-example').textContent = 'Centre pixel (row ' + Math.floor(chosen.side / 2) + ', column '
      + Math.floor(chosen.side / 2) + ') of ' + chosen.level + ': softmax weights '
      + inside.tokens.map(function (t, k) { return t + ' ' + row[k].toFixed(3); }).join(' · ')
      + ' — sum ' + sum.toFixed(3) + ' (1, up to rounding to three decimals).';
  }

  function latent(step) {
    const frames = $('latent-frames');
    if (!step.latent) {
      frames.dataset.shown = 'false';
      $('latent-status').textContent = 'This run diffuses in pixel space: it has no latent. Set Space to latent.';
      return;
    }
    const m = Heat.maxAbs(step.latent);
    for (let c = 0; c < 4; c++) {
      const values = [];
      for (let p = 0; p < 49; p++) values.push(step.latent[p * 4 + c] / m);
      const target = $('latent-c' + c);
      Heat.draw(target, values, 7, 7, Heat.diverging);
      target.classList.remove('blank');
    }
    Diffusion.drawImage($('latent-decoded'), step.x);
    frames.dataset.shown = 'true';
    frames.dataset.index = String(step.index);
    $('latent-status').textContent = 'z_t at t = ' + step.t + ': blue positive, red negative, scaled by the largest |z| ('
      + m.toFixed(2) + '); the picture beside it is what the decoder makes of it.';
  }

  // The run as it was at step i: its latent, and the inside of the nearest step at or before i that carries one.
  function render(steps, i) {
    latent(steps[i]);
    let j = i;
    while (j >= 0 && !steps[j].inside) j--;
    const status = $('inside-status');
    if (j < 0) {
      status.textContent = steps.some(function (s) { return s.inside; })
        ? 'No step up to here carries the inside yet.'
        : 'This run did not look inside the U-Net: tick “look inside the U-Net” and generate.';
      return;
    }
    shownInside = steps[j].inside;
    $('unet-inside').dataset.index = String(steps[j].index);
    status.textContent = 'The U-Net\u2019s inside at step ' + (steps[j].index + 1) + ' (t = ' + steps[j].t + ')'
      + (j === i ? '' : ', the nearest step before this one that carries it')
      + ', computing ε_cond for the asked condition.';
    features(shownInside);
    attention(shownInside);
  }

  function reset() {
    shownInside = null;
    $('inside-features').textContent = '';
    $('attention-maps').textContent = '';
    $('attention-example').textContent = '';
    $('attention-scale').textContent = '';
    $('attention-level').textContent = '';
    delete $('unet-inside').dataset.index;
    $('inside-status').textContent = 'The steps that carry the inside (at most 11 of a run) show it here.';
    $('latent-frames').dataset.shown = 'false';
  }

  $('attention-level').addEventListener('change', function () { if (shownInside) attention(shownInside); });

  window.DiffusionInside = { render: render, reset: reset };
})();
