package dev.deepscope.diffusion;

import dev.deepscope.diffusion.DigitProperties.Property;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each measured property's low and high ends begin, per digit: the terciles of the training digits'
 * values (a "bold 1" is bold for a one). A value below the lower tercile is {@link #LOW} (the bottom third),
 * above the upper one {@link #HIGH}, else {@link #MIDDLE}. Fitted on training digits only.
 *
 * @param terciles [digit][property ordinal] → {lower tercile, upper tercile}
 */
public record PropertyScale(double[][][] terciles) {

    public static final int LOW = 0;
    public static final int MIDDLE = 1;
    public static final int HIGH = 2;

    /** The terciles of {@code properties} (one per digit image) grouped by {@code labels}. */
    public static PropertyScale fit(List<DigitProperties> properties, int[] labels) {
        double[][][] terciles = new double[10][Property.values().length][];
        for (int d = 0; d < 10; d++) {
            final int digit = d;
            int[] mine = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == digit).toArray();
            if (mine.length == 0) {
                throw new IllegalArgumentException("no training digit " + d);
            }
            for (Property p : Property.values()) {
                double[] values = Arrays.stream(mine).mapToDouble(i -> properties.get(i).value(p)).sorted().toArray();
                terciles[d][p.ordinal()] = new double[] {values[values.length / 3], values[2 * values.length / 3]};
            }
        }
        return new PropertyScale(terciles);
    }

    /** LOW, MIDDLE or HIGH for each property of a digit image, in {@link Property} order. */
    public int[] levels(int digit, DigitProperties properties) {
        int[] levels = new int[Property.values().length];
        for (Property p : Property.values()) {
            double[] t = terciles[digit][p.ordinal()];
            double v = properties.value(p);
            levels[p.ordinal()] = v < t[0] ? LOW : v > t[1] ? HIGH : MIDDLE;
        }
        return levels;
    }

    /** For a manifest: property → digit → [lower, upper] tercile. */
    public Map<String, double[][]> describe() {
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (Property p : Property.values()) {
            double[][] byDigit = new double[10][];
            for (int d = 0; d < 10; d++) {
                byDigit[d] = terciles[d][p.ordinal()].clone();
            }
            out.put(p.name().toLowerCase(java.util.Locale.ROOT), byDigit);
        }
        return out;
    }
}
