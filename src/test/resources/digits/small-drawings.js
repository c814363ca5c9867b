// Synthetic drawings of every digit at a chosen height on the 280 px pad (strokes as a hand would leave them:
// points every ~3 px, a random slant, a little jitter, anywhere on the pad), read by each model. "new" is what the
// pad sends (DigitPad.toPixels); "old" the pad before strokes were re-drawn (a fixed pen on the bitmap, scaled).
// Settings on window: __height (55), __perDigit (6), __pipelines (["old", "new"]). Answers JSON {right, wrong}.
const done = arguments[arguments.length - 1];
const HEIGHT = Number(window.__height || 55), PER_DIGIT = Number(window.__perDigit || 6);
const T = {
  0: [[[.5,0],[.15,.15],[0,.5],[.15,.85],[.5,1],[.85,.85],[1,.5],[.85,.15],[.5,0]]],
  1: [[[.55,0],[.45,1]]],
  2: [[[.1,.25],[.3,.02],[.7,.02],[.9,.25],[.85,.45],[.1,1],[1,1]]],
  3: [[[.1,.1],[.5,0],[.9,.15],[.85,.35],[.45,.5],[.9,.65],[.9,.85],[.5,1],[.1,.9]]],
  4: [[[.6,0],[0,.65],[1,.65]],[[.7,.3],[.7,1]]],
  5: [[[.9,0],[.2,0],[.15,.45],[.6,.4],[.9,.6],[.85,.9],[.5,1],[.1,.9]]],
  6: [[[.8,0],[.3,.3],[.1,.7],[.3,1],[.7,1],[.9,.75],[.7,.5],[.3,.55],[.15,.7]]],
  7: [[[0,0],[1,0],[.35,1]]],
  8: [[[.5,.5],[.15,.25],[.5,0],[.85,.25],[.5,.5],[.1,.75],[.5,1],[.9,.75],[.5,.5]]],
  9: [[[.85,.25],[.5,0],[.15,.2],[.3,.45],[.85,.3],[.8,1]]]
};
const WIDTH = {0: .7, 1: .1, 2: .65, 3: .6, 4: .7, 5: .6, 6: .6, 7: .65, 8: .6, 9: .6};
let seed = 12345;
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
function drawing(d) {
  const h = HEIGHT * (0.9 + 0.2 * rnd()), w = h * WIDTH[d];
  const x0 = 5 + rnd() * (270 - w - h * .2), y0 = 5 + rnd() * (270 - h);
  const shear = (rnd() - .5) * .3;
  return T[d].map(function (stroke) {
    const pts = [];
    for (let i = 1; i < stroke.length; i++) {
      const a = stroke[i - 1], b = stroke[i];
      const steps = Math.max(1, Math.round(Math.hypot((b[0] - a[0]) * w, (b[1] - a[1]) * h) / 3));
      for (let s = (i === 1 ? 0 : 1); s <= steps; s++) {
        const u = a[0] + (b[0] - a[0]) * s / steps, v = a[1] + (b[1] - a[1]) * s / steps;
        pts.push({ x: x0 + u * w + shear * (1 - v) * h + (rnd() - .5) * h * .02, y: y0 + v * h + (rnd() - .5) * h * .02 });
      }
    }
    return pts;
  });
}
// the pad before this change: a 280×280 bitmap with a pen of 280/12, bounding box scaled to 20×20, centred by mass
function oldPixels(strokes) {
  const SIZE = 28, BOX = 20, canvas = document.createElement('canvas');
  canvas.width = canvas.height = 280;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000'; ctx.fillRect(0, 0, 280, 280);
  ctx.strokeStyle = '#fff'; ctx.lineWidth = 280 / 12; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
  strokes.forEach(function (s) {
    ctx.beginPath(); ctx.moveTo(s[0].x, s[0].y);
    s.forEach(function (p) { ctx.lineTo(p.x, p.y); });
    ctx.stroke();
  });
  const img = ctx.getImageData(0, 0, 280, 280).data;
  let x0 = 280, y0 = 280, x1 = -1, y1 = -1;
  for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) if (img[(y * 280 + x) * 4] > 20) {
    if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  const w = x1 - x0 + 1, h = y1 - y0 + 1, scale = BOX / Math.max(w, h);
  const small = document.createElement('canvas'); small.width = small.height = SIZE;
  const s = small.getContext('2d');
  s.fillStyle = '#000'; s.fillRect(0, 0, SIZE, SIZE);
  s.imageSmoothingEnabled = true; s.imageSmoothingQuality = 'high';
  s.drawImage(canvas, x0, y0, w, h, (SIZE - w * scale) / 2, (SIZE - h * scale) / 2, w * scale, h * scale);
  const data = s.getImageData(0, 0, SIZE, SIZE).data;
  const raw = []; let mass = 0, mx = 0, my = 0;
  for (let i = 0; i < SIZE * SIZE; i++) { raw[i] = data[i * 4] / 255; mass += raw[i]; mx += raw[i] * (i % SIZE); my += raw[i] * Math.floor(i / SIZE); }
  const dx = Math.round((SIZE - 1) / 2 - mx / mass), dy = Math.round((SIZE - 1) / 2 - my / mass);
  const out = new Array(SIZE * SIZE).fill(0);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
    const sx = x - dx, sy = y - dy;
    if (sx >= 0 && sy >= 0 && sx < SIZE && sy < SIZE) out[y * SIZE + x] = Math.round(raw[sy * SIZE + sx] * 1000) / 1000;
  }
  return out;
}
async function classify(model, pixels) {
  for (;;) {
    const r = await fetch('/api/digits/classify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: model, pixels: pixels }) });
    if (r.status === 429) { await new Promise(function (ok) { setTimeout(ok, 1000 * Number(r.headers.get('Retry-After'))); }); continue; }
    return (await r.json()).prediction;
  }
}
(async function () {
  const models = ['mlp-sigmoid', 'mlp-relu', 'cnn'];
  const pipelines = window.__pipelines || ['old', 'new'];
  const right = {}, wrong = {};
  for (let d = 0; d <= 9; d++) {
    for (let k = 0; k < PER_DIGIT; k++) {
      const strokes = drawing(d);
      for (const p of pipelines) {
        const pixels = p === 'old' ? oldPixels(strokes) : DigitPad.toPixels(strokes);
        for (const m of models) {
          const key = p + ' ' + m;
          const got = await classify(m, pixels);
          right[key] = (right[key] || 0) + (got === d ? 1 : 0);
          (wrong[key] = wrong[key] || {});
          if (got !== d) wrong[key][d] = (wrong[key][d] || '') + got;
          await new Promise(function (ok) { setTimeout(ok, 30); });
        }
      }
    }
  }
  done(JSON.stringify({ height: HEIGHT, perDigit: PER_DIGIT, of: 10 * PER_DIGIT, right: right, wrong: wrong }));
})().catch(function (e) { done('ERROR ' + e); });
