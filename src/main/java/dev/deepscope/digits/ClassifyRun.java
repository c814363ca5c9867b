package dev.deepscope.digits;

import dev.deepscope.mnist.HeldOutDigits;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import dev.deepscope.runs.Thumbnail;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** A {@code classify} run: one {@code layer} event per layer, input first, then {@code done} with the answer. */
@Component
class ClassifyRun implements RunWorker<DigitInput> {

    private final DigitModels models;
    private final HeldOutDigits heldOut;

    ClassifyRun(DigitModels models, HeldOutDigits heldOut) {
        this.models = models;
        this.heldOut = heldOut;
    }

    @Override
    public String kind() {
        return "classify";
    }

    @Override
    public Class<DigitInput> paramsType() {
        return DigitInput.class;
    }

    @Override
    public void validate(DigitInput params) {
        models.validate(params);
    }

    /** "test digit #412 (a 7), read as 7 by cnn" or "a drawn digit, read as 3 by mlp-sigmoid", and the digit. */
    @Override
    public RunSummary summarize(DigitInput params, JsonNode result) {
        float[] pixels = params.intensities();
        OptionalInt test = heldOut.indexOf(pixels);
        String what = test.isPresent()
                ? "test digit #" + test.getAsInt() + " (a " + heldOut.get(test.getAsInt()).label() + ")"
                : "a drawn digit";
        String read = result != null && result.has("prediction")
                ? ", read as " + result.path("prediction").asInt() + " by " : ", read by ";
        String ablated = params.ablate().isEmpty() ? "" : ", " + params.ablate().size()
                + (params.ablate().size() == 1 ? " unit" : " units") + " switched off or pinned";
        return new RunSummary(what + read + params.model() + ablated, Thumbnail.grey(pixels, 28));
    }

    @Override
    public Object execute(DigitInput params, RunContext context) {
        Classification result = models.classify(params);
        for (Classification.LayerActivation layer : result.layers()) {
            context.emit("layer", layer);
        }
        return new Done(result.model(), result.prediction(), result.probabilities());
    }

    /** The {@code done} event: the model, the digit it read and its 10 probabilities (0..1, summing to 1). */
    record Done(String model, int prediction, float[] probabilities) {
    }
}
