package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.DigitProperties;
import dev.deepscope.diffusion.PropertyCaptions;
import dev.deepscope.diffusion.PropertyScale;
import dev.deepscope.mnist.DigitAugmentation;
import dev.deepscope.mnist.LabelledDigit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The digits CLIP and the U-Nets learn from, each with its measured properties: every training digit as it
 * is, plus one copy distorted once by {@link #AUGMENTATION} (seeded) and brought back to the original's
 * peak brightness ({@link #asBrightAs}), because MNIST's digits are all centred
 * and nearly the same height, so "on the left" or "small" would have nothing to learn from. Property levels
 * come from a {@link PropertyScale} fitted on these (training) images only.
 *
 * @param pixels the images (784 intensities 0..1), originals first
 * @param labels their digits
 * @param levels their property levels (LOW/MIDDLE/HIGH per {@link DigitProperties.Property})
 * @param scale  the terciles the levels come from
 */
public record CaptionedDigits(List<float[]> pixels, int[] labels, int[][] levels, PropertyScale scale) {

    /** Rotation ±10°, scale ±15 %, shift ±2.5 px, stroke ±0.6 px: within what the CNN was trained to read. */
    public static final DigitAugmentation AUGMENTATION = new DigitAugmentation(10, 0.15, 2.5, 0.6, 0, 0);

    public static CaptionedDigits of(List<LabelledDigit> training, long seed) {
        Random random = new Random(seed);
        List<float[]> pixels = new ArrayList<>(2 * training.size());
        training.forEach(d -> pixels.add(d.pixels()));
        training.forEach(d -> pixels.add(asBrightAs(d.pixels(), AUGMENTATION.distort(d.pixels(), random))));
        int[] labels = new int[pixels.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = training.get(i % training.size()).label();
        }
        List<DigitProperties> properties = pixels.stream().map(DigitProperties::of).toList();
        PropertyScale scale = PropertyScale.fit(properties, labels);
        int[][] levels = new int[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            levels[i] = scale.levels(labels[i], properties.get(i));
        }
        return new CaptionedDigits(List.copyOf(pixels), labels, levels, scale);
    }

    /**
     * The distorted copy scaled so its brightest pixel is as bright as the original's. Why: thinning (erosion)
     * and resampling dim a narrow stroke's middle, so 8.9 % of the thin-captioned copies peaked under 0.8 (none
     * of the originals or of the other levels did); measured as thin because fewer pixels pass 0.5, they taught
     * the U-Nets that "thin" means "faint", and "a thin 9" came out too faint for the CNN to read.
     *
     * @param original  784 intensities 0..1, the MNIST digit
     * @param distorted its distorted copy (784 intensities 0..1)
     * @return the copy with its maximum equal to the original's (a blank copy is returned as it is)
     */
    static float[] asBrightAs(float[] original, float[] distorted) {
        float target = 0;
        float peak = 0;
        for (int i = 0; i < original.length; i++) {
            target = Math.max(target, original[i]);
            peak = Math.max(peak, distorted[i]);
        }
        if (peak <= 0) {
            return distorted;
        }
        float gain = target / peak;
        float[] out = new float[distorted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, distorted[i] * gain);
        }
        return out;
    }

    public int size() {
        return labels.length;
    }

    /** A random caption of image {@code i}. */
    public PropertyCaptions.Caption caption(int i, Random random) {
        return PropertyCaptions.describe(labels[i], levels[i], random);
    }
}
