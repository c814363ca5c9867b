package dev.deepscope.mnist;

/** A 28×28 handwritten digit, row by row, intensities in 0..1, with the digit it shows. */
public record LabelledDigit(float[] pixels, int label) {
}
