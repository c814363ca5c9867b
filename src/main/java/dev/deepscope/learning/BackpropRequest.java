package dev.deepscope.learning;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.learning.MlpShape;
import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One digit (784 intensities in 0..1) with its label, through a trained network ({@code model} = train run
 * id), and one weight to follow: w_jk of {@code layer} l ≥ 1 (the layer it feeds), from neuron k = {@code col}
 * of layer l−1 to neuron j = {@code row} of layer l, as in the series' z = W a + b.
 */
record BackpropRequest(
        @Schema(requiredMode = REQUIRED, description = "a train run's id") String model,
        @ArraySchema(minItems = 784, maxItems = 784,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities, row by row"),
                schema = @Schema(minimum = "0", maximum = "1"))
        List<Double> pixels,
        @Schema(requiredMode = REQUIRED, description = "the digit (or own class index) the image shows", minimum = "0",
                maximum = "9")
        Integer label,
        @Schema(requiredMode = REQUIRED) WeightRef weight) {

    /** Bounds beyond these depend on the network: row and col must be neurons of layers l and l−1. */
    record WeightRef(@Schema(requiredMode = REQUIRED, minimum = "1", description = "l, at most the network's depth")
                     Integer layer,
                     @Schema(requiredMode = REQUIRED, minimum = "0") Integer row,
                     @Schema(requiredMode = REQUIRED, minimum = "0") Integer col) {
    }

    void validate() {
        DrawingInput.check(model, pixels);
        if (weight == null) {
            throw new InvalidFieldException("weight", "is required: {layer, row, col}");
        }
    }

    /** The label must be one of this network's outputs (0..9 for digits), the weight one of its weights. */
    void validateFor(MlpShape shape) {
        if (label == null || label < 0 || label >= shape.outputs()) {
            throw new InvalidFieldException("label", "must be the class 0.." + (shape.outputs() - 1)
                    + " the image shows, not " + label);
        }
        int[] widths = shape.widths();
        if (weight.layer() == null || weight.layer() < 1 || weight.layer() > shape.depth()) {
            throw new InvalidFieldException("weight.layer", "must be 1.." + shape.depth() + " for " + shape.describe());
        }
        int l = weight.layer();
        if (weight.row() == null || weight.row() < 0 || weight.row() >= widths[l]) {
            throw new InvalidFieldException("weight.row", "must be a neuron of layer " + l + ": 0.." + (widths[l] - 1));
        }
        if (weight.col() == null || weight.col() < 0 || weight.col() >= widths[l - 1]) {
            throw new InvalidFieldException("weight.col", "must be a neuron of layer " + (l - 1) + ": 0.." + (widths[l - 1] - 1));
        }
    }

    float[] intensities() {
        return DrawingInput.intensities(pixels);
    }
}
