package dev.deepscope.digits;

import java.util.List;

/** What a classifier computed for one digit: every layer's activations, the ten probabilities, the answer. */
public record Classification(String model, int prediction, float[] probabilities, List<LayerActivation> layers) {

    /** One layer's activations for this digit; shape is per example, e.g. [16] or [14, 14, 16]. */
    public record LayerActivation(int index, String name, long[] shape, float[] activations) {
    }
}
