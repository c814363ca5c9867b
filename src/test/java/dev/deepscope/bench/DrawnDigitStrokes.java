package dev.deepscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Pen strokes of the ten digits as a person draws them on the /digits pad, for the drawn-digit benchmark.
 * Each digit has two styles (e.g. a 1 with and without its flag, an open and a closed 4, a 7 with a bar),
 * written as polylines in a unit box (x right, y down, the digit about 0.6 wide and 1 tall), then jittered,
 * slanted and placed by {@link #place}. These are our own drawings, not MNIST's: the benchmark asks whether
 * what people draw reads right, whatever its size and pen.
 */
final class DrawnDigitStrokes {

    /** One stroke: points (x, y) in pad pixels. */
    record Stroke(List<double[]> points) {
    }

    private DrawnDigitStrokes() {
    }

    static final int STYLES = 2;

    /** The strokes of {@code digit} in style {@code style} (0 or 1), in the unit box. */
    static List<List<double[]>> unit(int digit, int style) {
        return switch (digit) {
            case 0 -> List.of(ellipse(0.5, 0.5, 0.3, 0.48, style == 0 ? -90 : -60, 370));
            case 1 -> style == 0 ? List.of(line(0.5, 0, 0.5, 1))
                    : List.of(path(0.32, 0.2, 0.52, 0, 0.52, 1));
            case 2 -> List.of(concat(arc(0.5, 0.28, 0.27, 0.28, 200, 380),
                    path(0.75, 0.38, 0.22, 1.0, 0.8, 1.0)));
            case 3 -> List.of(concat(arc(0.47, 0.25, 0.27, 0.25, 210, 450), arc(0.47, 0.73, 0.3, 0.27, 270, 510)));
            case 4 -> style == 0 ? List.of(path(0.55, 0, 0.2, 0.65, 0.82, 0.65), line(0.62, 0.35, 0.62, 1))
                    : List.of(path(0.25, 0, 0.22, 0.6, 0.8, 0.6), line(0.68, 0.05, 0.68, 1));
            case 5 -> List.of(concat(path(0.75, 0, 0.3, 0, 0.27, 0.45),
                    arc(0.48, 0.7, 0.28, 0.28, 240, 490)));
            case 6 -> List.of(concat(path(0.7, 0, 0.42, 0.3, 0.25, 0.65), ellipse(0.5, 0.72, 0.26, 0.27, 180, 540)));
            case 7 -> style == 0 ? List.of(path(0.2, 0, 0.8, 0, 0.38, 1))
                    : List.of(path(0.2, 0, 0.8, 0, 0.38, 1), line(0.38, 0.5, 0.75, 0.5));
            case 8 -> List.of(concat(ellipse(0.5, 0.25, 0.22, 0.24, 90, 450), ellipse(0.5, 0.73, 0.27, 0.27, -90, 270)));
            case 9 -> List.of(concat(ellipse(0.47, 0.27, 0.25, 0.26, 0, 360), path(0.72, 0.27, 0.62, 1)));
            default -> throw new IllegalArgumentException("digit " + digit);
        };
    }

    /**
     * The digit drawn {@code height} pad pixels tall with its top-left corner near (x, y), slanted by up to
     * ±0.15 and jittered by about 2 % of its height, as a hand would.
     */
    static List<Stroke> place(List<List<double[]>> unit, double x, double y, double height, Random random) {
        double slant = (random.nextDouble() * 2 - 1) * 0.15;
        double jitter = 0.02 * height;
        List<Stroke> strokes = new ArrayList<>();
        for (List<double[]> line : unit) {
            List<double[]> points = new ArrayList<>();
            for (double[] p : line) {
                double px = x + (p[0] + slant * (1 - p[1])) * height + random.nextGaussian() * jitter;
                double py = y + p[1] * height + random.nextGaussian() * jitter;
                points.add(new double[] {px, py});
            }
            strokes.add(new Stroke(points));
        }
        return strokes;
    }

    private static List<double[]> line(double x0, double y0, double x1, double y1) {
        return path(x0, y0, x1, y1);
    }

    /** A polyline through (x0, y0), (x1, y1), …, with points every 0.05 so a pad sees a moving pen. */
    private static List<double[]> path(double... xy) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i + 3 < xy.length; i += 2) {
            double length = Math.hypot(xy[i + 2] - xy[i], xy[i + 3] - xy[i + 1]);
            int n = Math.max(2, (int) Math.ceil(length / 0.05));
            for (int k = i == 0 ? 0 : 1; k <= n; k++) {
                double t = (double) k / n;
                points.add(new double[] {xy[i] + t * (xy[i + 2] - xy[i]), xy[i + 1] + t * (xy[i + 3] - xy[i + 1])});
            }
        }
        return points;
    }

    /** Part of an ellipse around (cx, cy) from angle a0 to a1 in degrees (0 = right, 90 = down). */
    private static List<double[]> ellipse(double cx, double cy, double rx, double ry, double a0, double a1) {
        List<double[]> points = new ArrayList<>();
        int n = (int) Math.ceil(Math.abs(a1 - a0) / 12);
        for (int k = 0; k <= n; k++) {
            double a = Math.toRadians(a0 + (a1 - a0) * k / n);
            points.add(new double[] {cx + rx * Math.cos(a), cy + ry * Math.sin(a)});
        }
        return points;
    }

    private static List<double[]> arc(double cx, double cy, double rx, double ry, double a0, double a1) {
        return ellipse(cx, cy, rx, ry, a0, a1);
    }

    @SafeVarargs
    private static List<double[]> concat(List<double[]>... parts) {
        List<double[]> all = new ArrayList<>();
        for (List<double[]> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
