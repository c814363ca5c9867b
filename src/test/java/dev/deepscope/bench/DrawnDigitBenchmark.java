package dev.deepscope.bench;

import dev.deepscope.digits.DigitInput;
import dev.deepscope.digits.DigitModels;
import dev.deepscope.engine.digits.DigitArchitecture;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * How the shipped digit models read digits drawn on the /digits pad: our own pen strokes
 * ({@link DrawnDigitStrokes}, ten digits × two styles) drawn at three sizes, three pen widths, three
 * positions and four slant/jitter seeds (2,160 drawings), each classified by {@link DigitModels} — the code
 * the app serves with — after one of two preprocessings:
 * <ul>
 *   <li><b>pad</b>: what the page sends ({@link PadPixels}, a port of the pad's own JavaScript): the
 *   strokes' centre lines re-drawn MNIST-like, so the pen the person sees does not reach the network;</li>
 *   <li><b>bitmap</b>: the canvas image as drawn, made MNIST-like by MNIST's recipe ({@link CanvasInk}):
 *   the pen's width does reach the network here.</li>
 * </ul>
 * Prints accuracy per size, per pen and overall, and writes {@code target/drawn-digits.png}: a sample of
 * drawings with what each preprocessing made of them. Not a test: a measurement (see README):
 * {@code mvn -B -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.deepscope.bench.DrawnDigitBenchmark}.
 */
public final class DrawnDigitBenchmark {

    /** Digit height as a fraction of the pad. */
    static final double[] SIZES = {0.30, 0.55, 0.85};
    static final String[] SIZE_NAMES = {"small 30 %", "medium 55 %", "large 85 %"};
    /** Pen widths in canvas pixels: thin, the pad's own (280 / 16), bold. */
    static final double[] PENS = {7, CanvasInk.DEFAULT_PEN, 30};
    static final String[] PEN_NAMES = {"thin 7 px", "pad 17.5 px", "bold 30 px"};
    /** Where the digit sits in the space the pad leaves around it: top-left, centre, bottom-right. */
    static final double[] POSITIONS = {0.1, 0.5, 0.9};
    static final int SEEDS = 4;

    /** One drawing and what it should read as. */
    record Drawing(int digit, int size, int pen, List<DrawnDigitStrokes.Stroke> strokes) {
    }

    public static void main(String[] args) throws IOException {
        List<Drawing> drawings = drawings();
        Map<String, Function<Drawing, float[]>> preprocessings = new LinkedHashMap<>();
        preprocessings.put("pad", d -> PadPixels.of(d.strokes()));
        preprocessings.put("bitmap", d -> CanvasInk.mnistLike(CanvasInk.draw(d.strokes(), PENS[d.pen()])));
        List<String> models = DigitArchitecture.ALL.stream().map(DigitArchitecture::name).toList();
        DigitModels served = new DigitModels();
        try {
            System.out.printf("%nDrawn-digit benchmark: %d drawings (10 digits × %d styles × %d sizes × %d pens × "
                            + "%d positions × %d seeds)%n", drawings.size(), DrawnDigitStrokes.STYLES, SIZES.length,
                    PENS.length, POSITIONS.length, SEEDS);
            Map<String, float[][]> inputs = new LinkedHashMap<>();
            preprocessings.forEach((name, f) -> inputs.put(name, drawings.stream().map(f).toArray(float[][]::new)));
            for (var entry : inputs.entrySet()) {
                int[][] predictions = new int[models.size()][];
                for (int m = 0; m < models.size(); m++) {
                    predictions[m] = classify(served, models.get(m), entry.getValue());
                }
                report(entry.getKey(), drawings, models, predictions);
            }
            Path sheet = Path.of("target/drawn-digits.png");
            Files.createDirectories(sheet.getParent());
            ImageIO.write(contactSheet(drawings, inputs, classify(served, "cnn", inputs.get("pad"))), "png",
                    sheet.toFile());
            System.out.println("\nsample of the drawings: " + sheet.toAbsolutePath());
        } finally {
            served.all().forEach(m -> m.network().close());
        }
    }

    /** Every digit, style, size, pen, position and seed; a seed fixes slant and jitter. */
    static List<Drawing> drawings() {
        List<Drawing> all = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            for (int style = 0; style < DrawnDigitStrokes.STYLES; style++) {
                for (int size = 0; size < SIZES.length; size++) {
                    for (int pen = 0; pen < PENS.length; pen++) {
                        for (double position : POSITIONS) {
                            for (int seed = 0; seed < SEEDS; seed++) {
                                Random random = new Random(1000L * digit + 100L * style + 10L * size + seed);
                                var drawn = DrawnDigitStrokes.place(DrawnDigitStrokes.unit(digit, style), 0, 0,
                                        SIZES[size] * CanvasInk.CANVAS, random);
                                all.add(new Drawing(digit, size, pen, onThePad(within(drawn, position, PENS[pen]))));
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    /**
     * The strokes moved so their ink (pen included, 4 pixels to spare) lies on the pad, at {@code position}
     * (0 = top-left … 1 = bottom-right) of the room the drawing leaves.
     */
    static List<DrawnDigitStrokes.Stroke> within(List<DrawnDigitStrokes.Stroke> strokes, double position, double pen) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (DrawnDigitStrokes.Stroke s : strokes) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        double margin = pen / 2 + 4, room = CanvasInk.CANVAS - 2 * margin;
        double dx = margin + position * Math.max(0, room - (x1 - x0)) - x0;
        double dy = margin + position * Math.max(0, room - (y1 - y0)) - y0;
        return strokes.stream().map(s -> new DrawnDigitStrokes.Stroke(
                s.points().stream().map(p -> new double[] {p[0] + dx, p[1] + dy}).toList())).toList();
    }

    /**
     * Points as the pad records them: pointer positions in whole canvas pixels (a mouse at 280 CSS pixels),
     * a move to the same point as the last one dropped (as {@code pointermove} does).
     */
    static List<DrawnDigitStrokes.Stroke> onThePad(List<DrawnDigitStrokes.Stroke> strokes) {
        List<DrawnDigitStrokes.Stroke> out = new ArrayList<>();
        for (DrawnDigitStrokes.Stroke s : strokes) {
            List<double[]> points = new ArrayList<>();
            for (double[] p : s.points()) {
                double[] q = {Math.round(p[0]), Math.round(p[1])};
                if (points.isEmpty() || last(points)[0] != q[0] || last(points)[1] != q[1]) {
                    points.add(q);
                }
            }
            out.add(new DrawnDigitStrokes.Stroke(points));
        }
        return out;
    }

    private static double[] last(List<double[]> points) {
        return points.get(points.size() - 1);
    }

    private static int[] classify(DigitModels served, String model, float[][] inputs) {
        int[] predictions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            List<Double> pixels = new ArrayList<>(inputs[i].length);
            for (float v : inputs[i]) {
                pixels.add((double) v);
            }
            DigitInput input = new DigitInput(model, pixels);
            input.validate();   // what the API checks before classifying
            predictions[i] = served.classify(input).prediction();
        }
        return predictions;
    }

    private static void report(String preprocessing, List<Drawing> drawings, List<String> models, int[][] predictions) {
        System.out.printf("%n%s preprocessing%n%-14s", preprocessing, "");
        models.forEach(m -> System.out.printf("%14s", m));
        System.out.println();
        for (int s = 0; s < SIZES.length; s++) {
            int size = s;
            row(SIZE_NAMES[s], drawings, predictions, d -> d.size() == size);
        }
        if (preprocessing.equals("pad")) {
            System.out.println("(the pen the person sees does not reach the network on this path)");
        } else {
            for (int p = 0; p < PENS.length; p++) {
                int pen = p;
                row(PEN_NAMES[p], drawings, predictions, d -> d.pen() == pen);
            }
        }
        row("overall", drawings, predictions, d -> true);
        System.out.printf("%-14s", "worst digit");
        for (int[] prediction : predictions) {
            int worst = 0;
            double worstAccuracy = 2;
            for (int digit = 0; digit < 10; digit++) {
                int dd = digit;
                double a = accuracy(drawings, prediction, d -> d.digit() == dd);
                if (a < worstAccuracy) {
                    worstAccuracy = a;
                    worst = digit;
                }
            }
            System.out.printf("%14s", worst + ": " + String.format("%.1f %%", 100 * worstAccuracy));
        }
        System.out.printf("%n%-14s", "top mistake");
        for (int[] prediction : predictions) {
            int[][] confusion = new int[10][10];
            for (int i = 0; i < drawings.size(); i++) {
                confusion[drawings.get(i).digit()][prediction[i]]++;
            }
            String top = "none";
            int most = 0;
            for (int a = 0; a < 10; a++) {
                for (int b = 0; b < 10; b++) {
                    if (a != b && confusion[a][b] > most) {
                        most = confusion[a][b];
                        top = a + "→" + b + " ×" + most;
                    }
                }
            }
            System.out.printf("%14s", top);
        }
        System.out.println();
    }

    private static void row(String name, List<Drawing> drawings, int[][] predictions,
                            java.util.function.Predicate<Drawing> which) {
        long n = drawings.stream().filter(which).count();
        System.out.printf("%-14s", name);
        for (int[] prediction : predictions) {
            System.out.printf("%14s", String.format("%.1f %%", 100 * accuracy(drawings, prediction, which)));
        }
        System.out.printf("   (N = %d)%n", n);
    }

    private static double accuracy(List<Drawing> drawings, int[] prediction, java.util.function.Predicate<Drawing> which) {
        int n = 0, correct = 0;
        for (int i = 0; i < drawings.size(); i++) {
            if (which.test(drawings.get(i))) {
                n++;
                correct += prediction[i] == drawings.get(i).digit() ? 1 : 0;
            }
        }
        return (double) correct / n;
    }

    /**
     * Rows of (canvas as drawn, pad input, bitmap input) for one drawing of each digit, style, size and pen
     * (first position, first seed), with the CNN's answer on the pad input in red when it is wrong.
     */
    private static BufferedImage contactSheet(List<Drawing> drawings, Map<String, float[][]> inputs, int[] cnnOnPad) {
        int cell = 84, columns = 6;
        List<Integer> sample = new ArrayList<>();
        for (int i = 0; i < drawings.size(); i += POSITIONS.length * SEEDS) {
            Drawing d = drawings.get(i);
            if (d.pen() == d.size() || (d.pen() == 1 && d.size() != 1)) {   // each size, and each pen, at least once
                sample.add(i);
            }
        }
        int rows = (sample.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * (3 * cell + 12), rows * (cell + 18), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(40, 40, 40));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int k = 0; k < sample.size(); k++) {
            int i = sample.get(k);
            Drawing d = drawings.get(i);
            int x = (k % columns) * (3 * cell + 12), y = (k / columns) * (cell + 18);
            g.drawImage(CanvasInk.draw(d.strokes(), PENS[d.pen()]), x, y, cell, cell, null);
            g.drawImage(image(inputs.get("pad")[i]), x + cell, y, cell, cell, null);
            g.drawImage(image(inputs.get("bitmap")[i]), x + 2 * cell, y, cell, cell, null);
            g.setColor(cnnOnPad[i] == d.digit() ? Color.LIGHT_GRAY : Color.RED);
            g.drawString(d.digit() + " " + SIZE_NAMES[d.size()].split(" ")[0] + " " + PEN_NAMES[d.pen()].split(" ")[0]
                    + " → cnn " + cnnOnPad[i], x + 2, y + cell + 13);
        }
        g.dispose();
        return sheet;
    }

    private static BufferedImage image(float[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < pixels.length; i++) {
            image.getRaster().setSample(i % 28, i / 28, 0, Math.round(pixels[i] * 255));
        }
        return image;
    }
}
