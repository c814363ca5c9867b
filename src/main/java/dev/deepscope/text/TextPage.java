package dev.deepscope.text;

import dev.deepscope.runs.Run;
import dev.deepscope.text.own.TrainTextParams;
import dev.deepscope.text.own.TrainTextRun;
import dev.deepscope.text.training.MobyDick;
import dev.deepscope.runs.SharedRunView;
import dev.deepscope.web.Page;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /text}: a small GPT writes token by token; click a token to look inside the step that chose it. */
@Page
class TextPage implements SharedRunView {

    static final String VIEW = "text/page";

    /** What the page says about the model, from its manifest. */
    record ModelSummary(String architecture, long parameters, int vocabulary, int context, int layers, int heads,
                        double heldOutBitsPerChar) {
    }

    private final ModelSummary summary;
    private final int neurons;

    TextPage(TextModel model) {
        neurons = model.config().mlpWidth();
        var manifest = model.manifest();
        summary = new ModelSummary(manifest.path("architecture").asString(), model.model().parameterCount(),
                model.config().vocabulary(), model.config().context(), model.config().layers(), model.config().heads(),
                manifest.path("metrics").path("heldOutBitsPerChar").asDouble());
    }

    @GetMapping("/text")
    String page(Model model) {
        model.addAttribute("model", summary);
        model.addAttribute("maxPrompt", GenerateParams.MAX_PROMPT);
        model.addAttribute("maxTokens", GenerateParams.MAX_TOKENS);
        model.addAttribute("maxInside", TextInsideApi.MAX_TEXT);
        model.addAttribute("neurons", neurons);
        model.addAttribute("maxTokenText", EmbeddingsApi.MAX_TOKEN_TEXT);
        model.addAttribute("ownMaxChapter", MobyDick.LAST_CHAPTER);
        model.addAttribute("ownMaxBytes", TrainTextParams.MAX_BYTES);
        model.addAttribute("ownMaxSeconds", TrainTextParams.MAX_SECONDS);
        return VIEW;
    }

    /**
     * A shared generate run: its prompt and settings in the form, its text replayed token by token. A shared
     * train-text run: its settings in "Train your own", its loss curve, samples and attention replayed.
     */
    @Override
    public boolean shows(String kind) {
        return GenerateRun.KIND.equals(kind) || TrainTextRun.KIND.equals(kind);
    }

    @Override
    public String render(Run run, Model model) {
        boolean own = TrainTextRun.KIND.equals(run.kind());
        model.addAttribute(own ? "sharedOwnRun" : "sharedRun", run.id());
        model.addAttribute(own ? "sharedOwnParams" : "sharedParams", run.params().toString());
        return page(model);
    }
}
