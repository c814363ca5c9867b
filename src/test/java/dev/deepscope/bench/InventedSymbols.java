package dev.deepscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Three symbols a learner might invent — a circle, a cross, a triangle — drawn as a hand draws them on the pad
 * (slanted, jittered, at any size and place, with any pen) and turned into the 784 pixels the pad sends, by
 * {@link PadPixels}: the drawn data set of the own-drawings tests.
 */
public final class InventedSymbols {

    public static final List<String> NAMES = List.of("circle", "cross", "triangle");

    private InventedSymbols() {
    }

    /** One drawing of symbol {@code symbol} (0 circle, 1 cross, 2 triangle): 784 intensities in 0..1. */
    public static float[] draw(int symbol, Random random) {
        double height = 90 + random.nextDouble() * 150;             // 90..240 of the pad's 280 pixels
        double pen = 7 + random.nextDouble() * 23;
        List<DrawnDigitStrokes.Stroke> strokes = DrawnDigitStrokes.place(unit(symbol, random), 0, 0, height, random);
        strokes = DrawnDigitBenchmark.within(strokes, random.nextDouble(), pen);
        return PadPixels.of(DrawnDigitBenchmark.onThePad(strokes));
    }

    /** The symbol's strokes in the unit box, its proportions varied a little. */
    private static List<List<double[]>> unit(int symbol, Random random) {
        double w = 0.8 + random.nextDouble() * 0.4;
        return switch (symbol) {
            case 0 -> {
                List<double[]> ring = new ArrayList<>();
                double start = random.nextDouble() * 360;
                for (int a = 0; a <= 372; a += 12) {
                    double t = Math.toRadians(start + a);
                    ring.add(new double[] {0.5 * w + 0.5 * w * Math.cos(t), 0.5 + 0.5 * Math.sin(t)});
                }
                yield List.of(ring);
            }
            case 1 -> List.of(line(0, 0, w, 1), line(w, 0, 0, 1));
            case 2 -> {
                List<double[]> outline = new ArrayList<>(line(0.5 * w, 0, w, 1));
                outline.addAll(line(w, 1, 0, 1));
                outline.addAll(line(0, 1, 0.5 * w, 0));
                yield List.of(outline);
            }
            default -> throw new IllegalArgumentException("symbol " + symbol);
        };
    }

    /** Points every 0.05 from (x0, y0) to (x1, y1), as a moving pen reports them. */
    private static List<double[]> line(double x0, double y0, double x1, double y1) {
        int n = Math.max(2, (int) Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 0.05));
        List<double[]> points = new ArrayList<>();
        for (int k = 0; k <= n; k++) {
            double t = (double) k / n;
            points.add(new double[] {x0 + t * (x1 - x0), y0 + t * (y1 - y0)});
        }
        return points;
    }
}
