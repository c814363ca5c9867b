package dev.deepscope.digits;

import java.util.List;
import dev.deepscope.runs.Run;
import dev.deepscope.runs.SharedRunView;
import dev.deepscope.web.Page;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /digits}: draw a digit and watch every layer's activations stream in. */
@Page
class DigitsPage implements SharedRunView {

    static final String VIEW = "digits/page";
    static final String MODEL_INFO = "digits/page :: model-info";

    /** What the page says about a model, from its manifest. */
    record ModelSummary(String name, String description, long parameters, double accuracy, int testSize) {
    }

    private final List<ModelSummary> summaries;

    DigitsPage(DigitModels models) {
        this.summaries = models.all().stream().map(m -> new ModelSummary(
                m.network().architecture().name(), m.network().architecture().description(),
                m.network().parameterCount(), m.manifest().path("metrics").path("testAccuracy").asDouble(),
                m.manifest().path("split").path("test").asInt())).toList();
    }

    @GetMapping("/digits")
    String page(Model model) {
        model.addAttribute("models", summaries);
        model.addAttribute("current", summaries.get(0));
        return VIEW;
    }

    /** A shared classify run: its digit on the pad, its model selected, its events replayed. */
    @Override
    public boolean shows(String kind) {
        return "classify".equals(kind);
    }

    @Override
    public String render(Run run, Model model) {
        String name = run.params().path("model").asString("");
        model.addAttribute("models", summaries);
        model.addAttribute("current", summaries.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElse(summaries.get(0)));
        model.addAttribute("sharedRun", run.id());
        model.addAttribute("sharedParams", run.params().toString());
        return VIEW;
    }

    /** The model card alone, for htmx when the model changes. An unknown name shows the first model. */
    @GetMapping("/digits/model")
    String modelInfo(@RequestParam(defaultValue = "") String model, Model view) {
        view.addAttribute("current", summaries.stream().filter(s -> s.name().equals(model)).findFirst()
                .orElse(summaries.get(0)));
        return MODEL_INFO;
    }
}
