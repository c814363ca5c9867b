package dev.deepscope.learning;

import dev.deepscope.errors.InvalidFieldException;
import java.util.List;

/**
 * The part every request about a trained network shares (the inspector's, "what does my network call this"):
 * {@code model}, a train run's id, and {@code pixels}, a 28×28 drawing as 784 intensities in 0..1, row by row.
 */
final class DrawingInput {

    private DrawingInput() {
    }

    /** @throws InvalidFieldException naming {@code model}, {@code pixels} or the first bad {@code pixels[i]} */
    static void check(String model, List<Double> pixels) {
        if (model == null || model.isBlank()) {
            throw new InvalidFieldException("model", "is required: the id of a train run");
        }
        if (pixels == null || pixels.size() != 784) {
            throw new InvalidFieldException("pixels", "must hold exactly 784 numbers (28×28) in 0..1");
        }
        for (int i = 0; i < pixels.size(); i++) {
            Double p = pixels.get(i);
            if (p == null || p.isNaN() || p < 0 || p > 1) {
                throw new InvalidFieldException("pixels[" + i + "]", "must be a number in 0..1, not " + p);
            }
        }
    }

    /** The checked pixels as the network's input, float[784]. */
    static float[] intensities(List<Double> pixels) {
        float[] values = new float[784];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels.get(i).floatValue();
        }
        return values;
    }
}
