// /diffusion's forward process, computed in the page from the server's ᾱ_t: x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε for a
// real held-out digit or one drawn on the pad, with one fixed ε so sliding t shows only the schedule at work.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const D = window.Diffusion;
  const sampleIndices = D.sampleIndices;
  let alphaBar = null, x0 = null;

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
  D.drawImage($('forward-noise'), epsilon.map(function (e) { return (e + 3) / 6; }));

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
    D.drawImage($('forward-xt'), xt);
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
})();
