package dev.deepscope.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What the /digits page sends the network for a drawing: a line-by-line port of {@code DigitPad.toPixels} in
 * {@code frontend/src/js/digit-pad.js} (it exists only in JavaScript; keep the two in step). The pad does not
 * shrink its canvas bitmap: it re-draws the strokes' centre lines into 28×28 with an MNIST-like pen of 2.3
 * pixels, after scaling the points' bounding box to fit 20×20 and moving the ink's centre of mass to the
 * centre of the grid. The pen the person sees on the canvas therefore never reaches the network.
 */
final class PadPixels {

    private static final int SIZE = 28;
    private static final int BOX = 20;
    /** Pen diameter in 28×28 pixels, and how far its antialiased edge fades (pixels). */
    private static final double PEN = 2.3;
    private static final double EDGE = 1;

    private PadPixels() {
    }

    /** Strokes (points x, y in any units) → 784 intensities in 0..1, row by row; null with no ink. */
    static float[] of(List<DrawnDigitStrokes.Stroke> strokes) {
        double x0 = Double.POSITIVE_INFINITY, y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (DrawnDigitStrokes.Stroke s : strokes) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        double extent = Math.max(x1 - x0, y1 - y0);
        double scale = extent > 0 ? (BOX - PEN) / extent : 1;
        double[] centre = {(x0 + x1) / 2, (y0 + y1) / 2};
        double[] middle = {SIZE / 2.0, SIZE / 2.0};
        double[] first = rasterize(segments(strokes, centre, scale, middle));
        double mass = 0, mx = 0, my = 0;
        for (int i = 0; i < first.length; i++) {
            mass += first[i];
            mx += first[i] * (i % SIZE + 0.5);
            my += first[i] * (Math.floor((double) i / SIZE) + 0.5);
        }
        if (mass == 0) {
            return null;
        }
        double[] shifted = {middle[0] + (middle[0] - mx / mass), middle[1] + (middle[1] - my / mass)};
        double[] ink = rasterize(segments(strokes, centre, scale, shifted));
        float[] out = new float[ink.length];
        for (int i = 0; i < ink.length; i++) {
            out[i] = (float) (Math.round(ink[i] * 1000) / 1000.0);   // as the page rounds before sending
        }
        return out;
    }

    /** The strokes' segments (a lone point is a dot) mapped by p → (p − origin)·scale + offset. */
    private static List<double[][]> segments(List<DrawnDigitStrokes.Stroke> strokes, double[] origin, double scale,
                                             double[] offset) {
        List<double[][]> segs = new ArrayList<>();
        for (DrawnDigitStrokes.Stroke s : strokes) {
            List<double[]> mapped = s.points().stream().map(p -> new double[] {
                    (p[0] - origin[0]) * scale + offset[0], (p[1] - origin[1]) * scale + offset[1]}).toList();
            if (mapped.size() == 1) {
                segs.add(new double[][] {mapped.get(0), mapped.get(0)});
            }
            for (int i = 1; i < mapped.size(); i++) {
                segs.add(new double[][] {mapped.get(i - 1), mapped.get(i)});
            }
        }
        return segs;
    }

    /**
     * Ink of each pixel: full within the pen's radius, fading linearly over EDGE pixels; a pixel's centre is
     * at (x + ½, y + ½) in grid units.
     */
    private static double[] rasterize(List<double[][]> segments) {
        double[] out = new double[SIZE * SIZE];
        double reach = PEN / 2 + EDGE / 2;
        for (double[][] seg : segments) {
            double[] a = seg[0], b = seg[1];
            int gx0 = (int) Math.max(0, Math.floor(Math.min(a[0], b[0]) - reach));
            int gx1 = (int) Math.min(SIZE - 1, Math.ceil(Math.max(a[0], b[0]) + reach));
            int gy0 = (int) Math.max(0, Math.floor(Math.min(a[1], b[1]) - reach));
            int gy1 = (int) Math.min(SIZE - 1, Math.ceil(Math.max(a[1], b[1]) + reach));
            for (int y = gy0; y <= gy1; y++) {
                for (int x = gx0; x <= gx1; x++) {
                    double d = distance(x + 0.5, y + 0.5, a, b);
                    double v = Math.max(0, Math.min(1, (reach - d) / EDGE));
                    if (v > out[y * SIZE + x]) {
                        out[y * SIZE + x] = v;
                    }
                }
            }
        }
        return out;
    }

    /** Distance from (px, py) to the segment a–b. */
    private static double distance(double px, double py, double[] a, double[] b) {
        double dx = b[0] - a[0], dy = b[1] - a[1], length2 = dx * dx + dy * dy;
        double t = length2 > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / length2 : 0;
        t = Math.max(0, Math.min(1, t));
        double ex = a[0] + t * dx - px, ey = a[1] + t * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }
}
