package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.DigitProperties;
import dev.deepscope.diffusion.DigitProperties.Property;
import dev.deepscope.diffusion.Generation;
import dev.deepscope.diffusion.Recipe;
import dev.deepscope.diffusion.Sampler;
import dev.deepscope.diffusion.Space;
import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.digits.DigitNetwork;
import java.util.List;

/**
 * Do property words steer generation? For a property, a digit d and a seed, one prompt asks for the low end
 * ("a thin 4") and one for the high end ("a bold 4"); both are sampled from the same noise (same seed, same
 * count: image k of each starts from the same x_T) through the app's {@link Generation}, 50 DDIM steps at
 * guidance {@link #GUIDANCE} unless the caller asks for another. A pair is in the asked direction when the
 * high-end image measures more of the property ({@link DigitProperties}) than the low-end one; each image must
 * also still be read as d by the CNN.
 */
public final class PropertyEvaluation {

    public static final double GUIDANCE = 3;
    public static final int STEPS = 50;

    /**
     * @param pairs       seed pairs measured
     * @param inDirection pairs whose high-end image measures more of the property than the low-end one
     * @param readAsAsked images (2 per pair) the CNN reads as the asked digit
     * @param meanLow     the property's mean over the low-end images
     * @param meanHigh    the same over the high-end images
     */
    public record Result(Property property, int pairs, int inDirection, int readAsAsked, double meanLow,
                         double meanHigh) {

        public double directionRate() {
            return (double) inDirection / pairs;
        }

        public double readRate() {
            return readAsAsked / (2.0 * pairs);
        }
    }

    private PropertyEvaluation() {
    }

    /** The prompt asking for one end of a property: "a bold 4", "a 4 slanted left", "an 8 at the top". */
    public static String prompt(Property property, int digit, boolean high) {
        String words = high ? property.high() : property.low();
        boolean before = property == Property.THICKNESS || property == Property.SIZE;
        String first = before ? words : Integer.toString(digit);
        String article = first.equals("8") ? "an" : "a";
        return before ? article + " " + words + " " + digit : article + " " + digit + " " + words;
    }

    /**
     * Measures {@code property} over {@code digits}, {@code pairsPerDigit} seed pairs each (one batch per
     * digit and end, seed {@code seed + d}).
     */
    public static Result measure(Generation generation, DigitNetwork cnn, Space space, Property property,
                                 List<Integer> digits, int pairsPerDigit, long seed) {
        return measure(generation, cnn, space, property, digits, pairsPerDigit, seed, GUIDANCE);
    }

    /** {@link #measure} at classifier-free guidance scale {@code guidance}: w of ε̂ = (w+1)·ε_cond − w·ε_uncond (Ho and Salimans 2022, eq. 6; {@link Sampler}). */
    public static Result measure(Generation generation, DigitNetwork cnn, Space space, Property property,
                                 List<Integer> digits, int pairsPerDigit, long seed, double guidance) {
        int pairs = 0;
        int inDirection = 0;
        int read = 0;
        double sumLow = 0;
        double sumHigh = 0;
        for (int d : digits) {
            List<float[]> low = sample(generation, space, prompt(property, d, false), seed + d, pairsPerDigit, guidance);
            List<float[]> high = sample(generation, space, prompt(property, d, true), seed + d, pairsPerDigit, guidance);
            for (int k = 0; k < pairsPerDigit; k++) {
                double l = DigitProperties.of(low.get(k)).value(property);
                double h = DigitProperties.of(high.get(k)).value(property);
                pairs++;
                inDirection += h > l ? 1 : 0;
                sumLow += l;
                sumHigh += h;
            }
            read += readAs(cnn, low, d) + readAs(cnn, high, d);
        }
        return new Result(property, pairs, inDirection, read, sumLow / pairs, sumHigh / pairs);
    }

    private static List<float[]> sample(Generation generation, Space space, String prompt, long seed, int count,
                                        double guidance) {
        return generation.generate(new Recipe(prompt, guidance, STEPS, Sampler.Kind.DDIM, space, seed, count)).images();
    }

    private static int readAs(DigitNetwork cnn, List<float[]> images, int digit) {
        int right = 0;
        for (float[] p : cnn.probabilities(images.toArray(float[][]::new))) {
            right += VectorMath.argMax(p) == digit ? 1 : 0;
        }
        return right;
    }
}
