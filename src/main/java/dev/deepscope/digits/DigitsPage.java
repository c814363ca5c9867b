package dev.deepscope.digits;

import dev.deepscope.engine.digits.DigitArchitecture;
import java.util.List;
import dev.deepscope.runs.Run;
import dev.deepscope.runs.SharedRunView;
import dev.deepscope.web.Page;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/** {@code /digits}: draw a digit and watch every layer's activations stream in. */
@Page
class DigitsPage implements SharedRunView {

    static final String VIEW = "digits/page";
    static final String MODEL_INFO = "digits/page :: model-info";

    /**
     * What the page says about a model: from its manifest (its accuracy on the official MNIST test set), the
     * formula of its layers (TeX, rendered by KaTeX) and, as JSON, its layers' names and activation shapes, so
     * the page can lay out every layer before the first one is computed; {@code activation} is its hidden
     * layers' function ("sigmoid" or "relu"), which the activation view draws.
     */
    record ModelSummary(String name, String description, long parameters, double accuracy, int testSize,
                        String formula, String layers, String activation) {
    }

    // the series' a⁽ˡ⁺¹⁾ = σ(W⁽ˡ⁾a⁽ˡ⁾ + b⁽ˡ⁾) (3Blue1Brown, DL1), with the model's own activation
    static final String SIGMOID = "\\begin{gathered}a^{(l+1)} = \\sigma\\!\\left(W^{(l)} a^{(l)} + b^{(l)}\\right)"
            + "\\\\ \\sigma(z) = \\frac{1}{1 + e^{-z}}\\end{gathered}";
    static final String RELU = "\\begin{gathered}a^{(l+1)} = \\mathrm{ReLU}\\!\\left(W^{(l)} a^{(l)} + b^{(l)}\\right)"
            + "\\\\ \\mathrm{ReLU}(z) = \\max(0, z)\\end{gathered}";
    // a feature map k of layer l+1: every input map c convolved with its 5×5 kernel K, summed, ReLU, 2×2 max-pool
    static final String CONVOLUTION = "\\begin{gathered}a^{(l+1)}_{k} = \\operatorname{maxpool}_{2\\times 2}\\,"
            + "\\mathrm{ReLU}\\Big(\\sum_{c} K^{(l)}_{k,c} * a^{(l)}_{c} + b_k\\Big)"
            + "\\\\ (K * a)[i,j] = \\sum_{u,v} K[u,v]\\, a[i+u, j+v]\\end{gathered}";

    private final List<ModelSummary> summaries;

    DigitsPage(DigitModels models, JsonMapper json) {
        this.summaries = models.all().stream().map(m -> new ModelSummary(
                m.network().architecture().name(), m.network().architecture().description(),
                m.network().parameterCount(), m.manifest().path("metrics").path("testAccuracy").asDouble(),
                m.manifest().path("split").path("test").asInt(), formula(m.network().architecture()),
                json.writeValueAsString(m.network().layers()),
                m.network().architecture().activation().name().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    private static String formula(DigitArchitecture architecture) {
        if (architecture.family() == DigitArchitecture.Family.CNN) {
            return CONVOLUTION;
        }
        return architecture.activation() == DigitArchitecture.Activation.SIGMOID ? SIGMOID : RELU;
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
