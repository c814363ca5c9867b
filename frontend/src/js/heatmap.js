// Pixel grids on canvases, one way for every page: images and activations (gray), weights and gradients
// (diverging blue/red) and cost landscapes (sequential).
(function () {
  // values row by row, w × h, each mapped to [r, g, b] by colour
  function draw(canvas, values, w, h, colour) {
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      const rgb = colour(values[i]);
      img.data[i * 4] = rgb[0]; img.data[i * 4 + 1] = rgb[1]; img.data[i * 4 + 2] = rgb[2]; img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  // v in 0..1: black to white; as a string, a CSS colour (for neuron dots)
  function gray(v) {
    const g = Math.round(Math.max(0, Math.min(1, v)) * 255);
    const rgb = [g, g, g];
    rgb.toString = function () { return 'rgb(' + g + ',' + g + ',' + g + ')'; };
    return rgb;
  }

  // v in −1..1: blue for positive, red for negative, white for zero
  function diverging(v) {
    const a = Math.round(Math.min(1, Math.abs(v)) * 255);
    return v >= 0 ? [255 - a, 255 - a * 0.6, 255] : [255, 255 - a * 0.8, 255 - a * 0.8];
  }

  // t in 0..1: dark blue (low) → teal → yellow (high), like a topographic map of a valley
  const STOPS = [[13, 8, 135], [84, 2, 163], [139, 10, 165], [185, 50, 137], [219, 92, 104], [244, 136, 73],
    [254, 188, 43], [240, 249, 33]];
  function sequential(t) {
    const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
    const i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
    return [0, 1, 2].map(function (c) { return Math.round(STOPS[i][c] + f * (STOPS[i + 1][c] - STOPS[i][c])); });
  }

  function maxAbs(values) {
    let m = 1e-12;
    for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
    return m;
  }

  window.Heat = { draw: draw, gray: gray, diverging: diverging, sequential: sequential, maxAbs: maxAbs };
})();
