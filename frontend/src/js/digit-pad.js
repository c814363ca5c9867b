// A drawing pad that keeps a person's strokes as lists of points and turns them into an MNIST-style digit.
//
// MNIST's digits were scanned, scaled so the ink fits a 20×20 box, and centred by mass in 28×28 (LeCun et
// al., "The MNIST database"): at 28×28 their strokes are about 2–3 pixels wide whatever size the writer
// wrote at. Scaling a bitmap drawn with a fixed pen would make a small drawing's strokes far thicker than
// that, so the pad re-draws the strokes' centre lines into the 28×28 grid with an MNIST-like pen instead.
//
//   const pad = DigitPad(canvas, onChange);   // onChange(strokeEnded) after every bit of ink
//   pad.clear();  pad.show(pixels);  pad.pixels();  pad.strokes();
//   DigitPad.toPixels(strokes)                // pure: [[{x, y}, …], …] in any units → 784 values in 0..1
(function () {
  const SIZE = 28, BOX = 20;
  // Pen diameter in 28×28 pixels, and how far its antialiased edge fades (in pixels).
  const PEN = 2.3, EDGE = 1;

  function points(strokes) {
    const all = [];
    strokes.forEach(function (s) { s.forEach(function (p) { all.push(p); }); });
    return all;
  }

  // Distance from (px, py) to the segment a–b.
  function distance(px, py, a, b) {
    const dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
    let t = length2 ? ((px - a.x) * dx + (py - a.y) * dy) / length2 : 0;
    t = Math.max(0, Math.min(1, t));
    const ex = a.x + t * dx - px, ey = a.y + t * dy - py;
    return Math.sqrt(ex * ex + ey * ey);
  }

  // Ink of each pixel: full within the pen's radius, fading linearly over EDGE pixels (antialiasing by
  // coverage); segments in grid units, a pixel's centre at (x + ½, y + ½).
  function rasterize(segments) {
    const out = new Array(SIZE * SIZE).fill(0);
    const reach = PEN / 2 + EDGE / 2;
    segments.forEach(function (seg) {
      const a = seg[0], b = seg[1];
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach)), x1 = Math.min(SIZE - 1, Math.ceil(Math.max(a.x, b.x) + reach));
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach)), y1 = Math.min(SIZE - 1, Math.ceil(Math.max(a.y, b.y) + reach));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const d = distance(x + 0.5, y + 0.5, a, b);
          const v = Math.max(0, Math.min(1, (reach - d) / EDGE));
          if (v > out[y * SIZE + x]) out[y * SIZE + x] = v;
        }
      }
    });
    return out;
  }

  // The strokes' segments (a lone point is a dot) mapped by p → (p − origin)·scale + offset.
  function segments(strokes, origin, scale, offset) {
    const segs = [];
    strokes.forEach(function (s) {
      const mapped = s.map(function (p) {
        return { x: (p.x - origin.x) * scale + offset.x, y: (p.y - origin.y) * scale + offset.y };
      });
      if (mapped.length === 1) segs.push([mapped[0], mapped[0]]);
      for (let i = 1; i < mapped.length; i++) segs.push([mapped[i - 1], mapped[i]]);
    });
    return segs;
  }

  // Strokes (lists of {x, y}, any units) → 784 intensities in 0..1, row by row, or null with no ink: the
  // ink's bounding box (pen included) scaled to fit 20×20, then moved so its centre of mass sits at the
  // centre of the 28×28 grid.
  function toPixels(strokes) {
    const all = points(strokes || []);
    if (!all.length) return null;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    all.forEach(function (p) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); });
    const extent = Math.max(x1 - x0, y1 - y0);
    const scale = extent > 0 ? (BOX - PEN) / extent : 1;
    const centre = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
    const middle = { x: SIZE / 2, y: SIZE / 2 };
    const first = rasterize(segments(strokes, centre, scale, middle));
    let mass = 0, mx = 0, my = 0;
    for (let i = 0; i < first.length; i++) {
      mass += first[i]; mx += first[i] * (i % SIZE + 0.5); my += first[i] * (Math.floor(i / SIZE) + 0.5);
    }
    if (!mass) return null;
    const shifted = { x: middle.x + (middle.x - mx / mass), y: middle.y + (middle.y - my / mass) };
    return rasterize(segments(strokes, centre, scale, shifted)).map(function (v) { return Math.round(v * 1000) / 1000; });
  }

  function DigitPad(canvas, onChange) {
    const ctx = canvas.getContext('2d');
    let strokes = [], current = null, shown = null;

    function clear() {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      strokes = []; current = null; shown = null;
    }

    function point(e) {
      const r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    }

    // What the person sees: their strokes with a comfortable pen (what the network sees is toPixels).
    function ink(from, to) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = canvas.width / 16;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x, to.y);
      ctx.stroke();
    }

    canvas.addEventListener('pointerdown', function (e) {
      if (shown) clear(); // drawing over a shown digit starts a fresh drawing
      const p = point(e);
      current = [p];
      strokes.push(current);
      canvas.setPointerCapture(e.pointerId);
      ink(p, p);
      onChange(false);
    });
    canvas.addEventListener('pointermove', function (e) {
      if (!current) return;
      const p = point(e), last = current[current.length - 1];
      if (p.x === last.x && p.y === last.y) return;
      current.push(p);
      ink(last, p);
      onChange(false);
    });
    const end = function () {
      if (!current) return;
      current = null;
      onChange(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);

    // Shows a 28×28 digit (values 0..1) on the pad, scaled up; pixels() then returns it as it is.
    function show(pixels) {
      clear();
      const cell = canvas.width / SIZE;
      for (let i = 0; i < pixels.length; i++) {
        const v = Math.round(pixels[i] * 255);
        ctx.fillStyle = 'rgb(' + v + ',' + v + ',' + v + ')';
        ctx.fillRect((i % SIZE) * cell, Math.floor(i / SIZE) * cell, cell + 0.5, cell + 0.5);
      }
      shown = pixels.slice();
    }

    // The drawing as 784 intensities in 0..1, or null when nothing is drawn.
    function pixels() {
      return shown ? shown.slice() : toPixels(strokes);
    }

    clear();
    return {
      clear: clear, show: show, pixels: pixels,
      strokes: function () { return strokes.map(function (s) { return s.slice(); }); }
    };
  }

  DigitPad.toPixels = toPixels;
  window.DigitPad = DigitPad;
})();
