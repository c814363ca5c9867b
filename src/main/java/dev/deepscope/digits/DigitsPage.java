package dev.deepscope.digits;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /digits}: draw a digit and watch every layer's activations stream in. */
@Controller
class DigitsPage {

    static final String VIEW = "digits/page";
    static final String MODEL_INFO = "digits/page :: model-info";

    /** What the page says about a model, from its manifest. */
    record ModelSummary(String name, String description, long parameters, double accuracy, int validationSize) {
    }

    private final List<ModelSummary> summaries;

    DigitsPage(DigitModels models) {
        this.summaries = models.all().stream().map(m -> new ModelSummary(
                m.network().architecture().name(), m.network().architecture().description(),
                m.network().parameterCount(), m.manifest().path("metrics").path("validationAccuracy").asDouble(),
                m.manifest().path("split").path("validation").asInt())).toList();
    }

    @GetMapping("/digits")
    String page(Model model) {
        model.addAttribute("models", summaries);
        model.addAttribute("current", summaries.get(0));
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
