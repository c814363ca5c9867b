// A drawing pad that turns strokes into an MNIST-style digit: the ink's bounding box scaled to fit
// 20×20, placed in a 28×28 grid with its centre of mass in the middle (how the MNIST digits were made).
(function () {
  const SIZE = 28, BOX = 20;

  function DigitPad(canvas, onChange) {
    const ctx = canvas.getContext('2d');
    let drawing = false, last = null, inked = false;

    function clear() {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      inked = false;
    }

    function point(e) {
      const r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    }

    function stroke(to) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = canvas.width / 12;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(to.x, to.y);
      ctx.stroke();
      last = to;
      inked = true;
    }

    canvas.addEventListener('pointerdown', function (e) {
      drawing = true;
      last = point(e);
      canvas.setPointerCapture(e.pointerId);
      stroke(last);
      onChange(false);
    });
    canvas.addEventListener('pointermove', function (e) {
      if (!drawing) return;
      stroke(point(e));
      onChange(false);
    });
    const end = function () {
      if (!drawing) return;
      drawing = false;
      onChange(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);

    // Shows a 28×28 digit (values 0..1) on the pad, scaled up.
    function show(pixels) {
      clear();
      const cell = canvas.width / SIZE;
      for (let i = 0; i < pixels.length; i++) {
        const v = Math.round(pixels[i] * 255);
        ctx.fillStyle = 'rgb(' + v + ',' + v + ',' + v + ')';
        ctx.fillRect((i % SIZE) * cell, Math.floor(i / SIZE) * cell, cell + 0.5, cell + 0.5);
      }
      inked = true;
    }

    // The drawing as 784 intensities in 0..1, or null when nothing is drawn.
    function pixels() {
      if (!inked) return null;
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let x0 = canvas.width, y0 = canvas.height, x1 = -1, y1 = -1;
      for (let y = 0; y < canvas.height; y++) {
        for (let x = 0; x < canvas.width; x++) {
          if (img[(y * canvas.width + x) * 4] > 20) {
            if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
          }
        }
      }
      if (x1 < 0) return null;
      const w = x1 - x0 + 1, h = y1 - y0 + 1, scale = BOX / Math.max(w, h);
      const small = document.createElement('canvas');
      small.width = SIZE; small.height = SIZE;
      const s = small.getContext('2d');
      s.fillStyle = '#000';
      s.fillRect(0, 0, SIZE, SIZE);
      s.imageSmoothingEnabled = true;
      s.imageSmoothingQuality = 'high';
      s.drawImage(canvas, x0, y0, w, h, (SIZE - w * scale) / 2, (SIZE - h * scale) / 2, w * scale, h * scale);
      const data = s.getImageData(0, 0, SIZE, SIZE).data;
      const raw = new Array(SIZE * SIZE);
      let mass = 0, mx = 0, my = 0;
      for (let i = 0; i < raw.length; i++) {
        raw[i] = data[i * 4] / 255;
        mass += raw[i]; mx += raw[i] * (i % SIZE); my += raw[i] * Math.floor(i / SIZE);
      }
      // shift so the centre of mass sits at the grid's centre
      const dx = Math.round((SIZE - 1) / 2 - mx / mass), dy = Math.round((SIZE - 1) / 2 - my / mass);
      const out = new Array(SIZE * SIZE).fill(0);
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          const sx = x - dx, sy = y - dy;
          if (sx >= 0 && sy >= 0 && sx < SIZE && sy < SIZE) out[y * SIZE + x] = Math.round(raw[sy * SIZE + sx] * 1000) / 1000;
        }
      }
      return out;
    }

    clear();
    return { clear: clear, show: show, pixels: pixels };
  }

  window.DigitPad = DigitPad;
})();
