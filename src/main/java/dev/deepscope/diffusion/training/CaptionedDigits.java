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
 * is, plus one copy distorted once by {@link #AUGMENTATION} (seeded), because MNIST's digits are all centred
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
        training.forEach(d -> pixels.add(AUGMENTATION.distort(d.pixels(), random)));
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

    public int size() {
        return labels.length;
    }

    /** A random caption of image {@code i}. */
    public PropertyCaptions.Caption caption(int i, Random random) {
        return PropertyCaptions.describe(labels[i], levels[i], random);
    }
}
