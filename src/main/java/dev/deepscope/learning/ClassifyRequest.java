package dev.deepscope.learning;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.learning.GradientProbe;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One drawing (784 intensities in 0..1, as the pad makes them) through the network a train run trained
 * ({@code model} = the run's id): for "draw a new one and see what your network calls it".
 */
record ClassifyRequest(
        @Schema(requiredMode = REQUIRED, description = "a train run's id") String model,
        @ArraySchema(minItems = 784, maxItems = 784,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities, row by row"),
                schema = @Schema(minimum = "0", maximum = "1"))
        List<Double> pixels) {

    /**
     * The output layer's activations (one per digit, or per class of the run's own drawings, in its order) and
     * the index of the largest.
     */
    record Classified(String model, String network, double[] outputs, int prediction) {
    }

    void validate() {
        DrawingInput.check(model, pixels);
    }

    /** The forward pass with the network's current weights (the latest point while it still trains). */
    Classified through(TrainedNetworks.Trained network) {
        float[] image = DrawingInput.intensities(pixels);
        try (GradientProbe probe = new GradientProbe(network.shape())) {
            double[] outputs = probe.outputs(network.current(), image);
            return new Classified(network.runId(), network.shape().describe(), outputs, VectorMath.argMax(outputs));
        }
    }
}
