package dev.deepscope.digits;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What a classifier computed for one digit: every layer's activations, the ten probabilities, the answer. */
public record Classification(String model, int prediction, float[] probabilities, List<LayerActivation> layers) {

    /**
     * One layer's activations a for this digit, and, when asked, its pre-activations z (none for the input; the
     * logits for the output); shape is per example, e.g. [16] or [14, 14, 16]. For a convolution z is max-pooled like a, so
     * a = ReLU(z) cell by cell. A unit set by {@code ablate} shows the value it was set to as its activation (0:
     * switched off) beside the z it computed.
     */
    public record LayerActivation(int index, String name, long[] shape, float[] activations,
                                  @JsonInclude(JsonInclude.Include.NON_NULL)
                                  @Schema(description = "z = W a + b before the activation function; "
                                          + "only when the request asked for preActivations, never for the input")
                                  float[] preActivations) {
    }
}
