package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.mnist.HeldOutDigits;
import dev.deepscope.runs.Run;
import dev.deepscope.runs.SharedRunView;
import dev.deepscope.web.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /diffusion}: the forward process on a real digit, the reverse process streaming step by step,
 * guidance, pixel vs latent, and CLIP's similarity matrix.
 */
@Page
class DiffusionPage implements SharedRunView {

    static final String VIEW = "diffusion/page";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A shipped model and the number it is known by. */
    record ModelCard(String name, long parameters, String measure) {
    }

    private final List<ModelCard> cards = new ArrayList<>();
    private final int[] sampleIndexByDigit = new int[10];

    DiffusionPage(GenerationModels models, HeldOutDigits heldOut) {
        Map<String, JsonNode> manifests = models.manifests();
        Map<String, Long> parameters = models.parameterCounts();
        JsonNode clip = manifests.get("clip").path("metrics");
        cards.add(new ModelCard("clip", parameters.get("clip"), String.format(java.util.Locale.ROOT,
                "%.1f %% zero-shot on the official MNIST test set (10,000 digits; %.1f %% on the validation digits)",
                100 * clip.path("testZeroShotAccuracy").asDouble(), 100 * clip.path("zeroShotAccuracy").asDouble())));
        cards.add(new ModelCard("vae", parameters.get("vae"), String.format(
                "reconstruction error %.4f (mean squared, pixels 0..1)",
                manifests.get("vae").path("metrics").path("validationMeanSquaredError").asDouble())));
        for (String unet : List.of("pixel-unet", "latent-unet")) {
            JsonNode evaluation = manifests.get(unet).path("evaluation");
            JsonNode spread = evaluation.path("spread").path("byGuidance");
            cards.add(new ModelCard(unet, parameters.get(unet), evaluation.isMissingNode() ? "not evaluated yet"
                    : String.format("%.1f %% of samples read as the asked digit (w = 3, 50 DDIM steps); spread of "
                            + "same-digit samples in CLIP space %.2f → %.2f → %.2f at w = 0, 3, 10",
                    100 * evaluation.path("fidelity").path("accuracy").asDouble(),
                    spread.path("0.0").path("clip").asDouble(), spread.path("3.0").path("clip").asDouble(),
                    spread.path("10.0").path("clip").asDouble()) + properties(manifests.get(unet))));
        }
        java.util.Arrays.fill(sampleIndexByDigit, -1);
        for (int i = 0; i < heldOut.count(); i++) {
            int label = heldOut.get(i).label();
            if (sampleIndexByDigit[label] < 0) {
                sampleIndexByDigit[label] = i;
            }
        }
    }

    /**
     * "; prompts naming thickness, size, slant or place: samples differ in the asked direction for every seed pair,
     * 95.8–99.0 % read as the asked digit" from the manifest's {@code propertyEvaluation} (PropertyBenchmark), or ""
     * without it.
     */
    private static String properties(JsonNode manifest) {
        JsonNode byProperty = manifest.path("propertyEvaluation").path("byProperty");
        if (byProperty.isMissingNode() || byProperty.isEmpty()) {
            return "";
        }
        double lowDirection = 1;
        double lowRead = 1;
        double highRead = 0;
        for (JsonNode p : byProperty.values()) {
            lowDirection = Math.min(lowDirection, p.path("inAskedDirection").asDouble());
            lowRead = Math.min(lowRead, p.path("readAsAsked").asDouble());
            highRead = Math.max(highRead, p.path("readAsAsked").asDouble());
        }
        String direction = lowDirection == 1 ? "every seed pair"
                : String.format(java.util.Locale.ROOT, "≥ %.0f %% of seed pairs", 100 * lowDirection);
        return String.format(java.util.Locale.ROOT, "; prompts naming thickness, size, slant or place: samples differ "
                + "in the asked direction for %s, %.1f–%.1f %% read as the asked digit", direction, 100 * lowRead, 100 * highRead);
    }

    @GetMapping("/diffusion")
    String page(Model model) {
        fill(model);
        return VIEW;
    }

    @Override
    public boolean shows(String kind) {
        return "diffuse".equals(kind);
    }

    /**
     * A shared diffuse run: every setting it ran with in the form (defaults written out, so a control never
     * shows the page's own default instead), its steps in the player.
     */
    @Override
    public String render(Run run, Model model) {
        fill(model);
        model.addAttribute("sharedRun", run.id());
        model.addAttribute("sharedParams", JSON.writeValueAsString(
                JSON.treeToValue(run.params(), DiffusionParams.class).withDefaults()));
        return VIEW;
    }

    private void fill(Model model) {
        model.addAttribute("cards", cards);
        model.addAttribute("captions", IntStream.range(0, 10).mapToObj(Captions::forDigit).toList());
        model.addAttribute("clipWords", Vocabulary.CONTEXT - 1);
        model.addAttribute("sampleIndices", java.util.Arrays.stream(sampleIndexByDigit)
                .mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElse(""));
    }
}
