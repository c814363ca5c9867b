package dev.deepscope.digits;

import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import java.util.Map;
import org.springframework.stereotype.Component;

/** A {@code classify} run: one {@code layer} event per layer, input first, then {@code done} with the answer. */
@Component
class ClassifyRun implements RunWorker<DigitInput> {

    private final DigitModels models;

    ClassifyRun(DigitModels models) {
        this.models = models;
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
        params.validate();
    }

    @Override
    public RunSummary summarize(DigitInput params) {
        return new RunSummary("a drawn digit, read by " + params.model(), DigitThumbnail.dataUrl(params.intensities()));
    }

    @Override
    public Object execute(DigitInput params, RunContext context) {
        Classification result = models.classify(params);
        for (Classification.LayerActivation layer : result.layers()) {
            context.emit("layer", layer);
        }
        return Map.of("model", result.model(), "prediction", result.prediction(),
                "probabilities", result.probabilities());
    }
}
