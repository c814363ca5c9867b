// /diffusion's VAE round trip: the learner draws on a pad (digit-pad.js, the same MNIST-like 28×28 as /digits),
// and each finished stroke goes to POST /api/diffusion/vae, which answers the latent z = E(x)/σ_z (4 × 7 × 7), the
// decoded image D(E(x)) and the mean squared error. Every number shown is the server's; this file only draws.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const D = window.Diffusion;
  let asked = 0;   // the latest request wins: a slow answer to an older drawing is dropped

  function showLatent(latent) {
    let m = 1e-12;
    latent.forEach(function (ch) { ch.forEach(function (row) { m = Math.max(m, Heat.maxAbs(row)); }); });
    latent.forEach(function (channel, c) {
      const values = [];
      channel.forEach(function (row) { row.forEach(function (v) { values.push(v / m); }); });
      const target = $('vae-c' + c);
      Heat.draw(target, values, 7, 7, Heat.diverging);
      const largest = channel.reduce(function (a, row) { return Math.max(a, Heat.maxAbs(row)); }, 0);
      $('vae-c' + c + '-caption').textContent = 'z channel ' + c + ' · ±' + largest.toFixed(2);
      target.title = 'z channel ' + c + ': ' + channel.map(function (row) {
        return row.map(function (v) { return v.toFixed(2); }).join(' ');
      }).join(' / ');
    });
    return m;
  }

  function roundTrip(pixels) {
    const frames = $('vae-frames'), status = $('vae-status');
    if (!pixels) {
      frames.dataset.shown = 'false';
      for (let c = 0; c < 4; c++) $('vae-c' + c + '-caption').textContent = 'z channel ' + c;
      status.textContent = 'Draw a digit, or take a held-out one, to see its round trip.';
      return;
    }
    const mine = ++asked;
    D.drawImage($('vae-x'), pixels);
    status.textContent = 'Encoding and decoding…';
    D.postJson('/api/diffusion/vae', { pixels: pixels }).then(function (r) {
      if (mine !== asked) return;
      const m = showLatent(r.latent);
      D.drawImage($('vae-decoded'), r.decoded);
      frames.dataset.shown = 'true';
      frames.dataset.error = String(r.meanSquaredError);
      status.textContent = '784 pixels → 4 × 7 × 7 = 196 numbers → 784 pixels. Mean squared error (x̂ − x)² = '
        + r.meanSquaredError.toFixed(4) + ' (a held-out digit: about 0.01). The latent channels: blue positive, red'
        + ' negative, scaled by the largest |z| (' + m.toFixed(2) + '; z is μ/σ_z, σ_z = ' + r.latentStd.toFixed(3) + ').';
    }).catch(function (err) {
      if (mine === asked) status.textContent = 'Could not encode: ' + err.message;
    });
  }

  const pad = DigitPad($('vae-pad'), function (strokeEnded) { if (strokeEnded) roundTrip(pad.pixels()); });

  $('vae-clear').addEventListener('click', function () {
    pad.clear();
    asked++;
    roundTrip(null);
  });

  let nextDigit = 0;
  $('vae-real').addEventListener('click', function () {
    const digit = nextDigit;
    nextDigit = (nextDigit + 1) % 10;
    const index = D.sampleIndices[digit];
    if (!(index >= 0)) return;
    fetch('/api/digits/samples/' + index).then(function (r) { return r.json(); }).then(function (s) {
      pad.show(s.pixels);
      roundTrip(s.pixels);
    });
  });

  if (location.hash === '#latent-steps') $('vae-real').click();   // from the map's latent card: a round trip at once
})();
