package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Generation;
import dev.deepscope.diffusion.GenerationModels;
import dev.deepscope.diffusion.Space;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.models.ModelManifest;
import dev.deepscope.models.ShippedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the shipped generators against chapter 4's targets and records the numbers in the U-Nets'
 * manifests (under "evaluation"), where the tests hold the checkpoints to them:
 * {@code java … dev.deepscope.diffusion.training.EvaluateGeneration [--samples N] [--space pixel|latent] [--out DIR]} (see README).
 * Fidelity: guidance 3, 50 DDIM steps, N samples per digit read by the CNN. Spread: w = 0, 3, 10.
 */
public final class EvaluateGeneration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) {
        int samples = 50;
        Path out = Path.of("src/main/resources/models");
        java.util.List<Space> spaces = java.util.List.of(Space.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--space" -> spaces = java.util.List.of(Space.valueOf(args[++i].toUpperCase()));
                default -> throw new IllegalArgumentException("options: --samples N, --space pixel|latent, --out DIR");
            }
        }
        try (GenerationModels models = new GenerationModels();
             DigitNetwork cnn = ShippedModel.load("cnn", s -> DigitNetwork.restore(DigitArchitecture.named("cnn").orElseThrow(), s.dir()))) {
            Generation generation = new Generation(models);
            for (Space space : spaces) {
                Map<String, Object> evaluation = new LinkedHashMap<>();
                long start = System.nanoTime();
                GenerationEvaluation.Fidelity fidelity = GenerationEvaluation.fidelity(generation, cnn, space, 3, 50,
                        samples, 1000);
                double seconds = (System.nanoTime() - start) / 1e9;
                evaluation.put("fidelity", Map.of("guidance", 3, "steps", 50, "sampler", "ddim",
                        "samplesPerDigit", samples, "seed", 1000, "accuracy", fidelity.accuracy(),
                        "perDigit", fidelity.perDigit(), "imagesPerSecond", 10 * samples / seconds));
                Map<String, GenerationEvaluation.Spread> spread = new LinkedHashMap<>();
                for (double w : new double[] {0, 3, 10}) {
                    spread.put(Double.toString(w), GenerationEvaluation.spread(generation, models.clip(), space, w, 50,
                            16, 2000));
                }
                evaluation.put("spread", Map.of("samplesPerDigit", 16, "seed", 2000, "byGuidance", spread));
                System.out.printf("%s: CNN reads %.1f %% of samples as the asked digit (%s); spread by w %s; "
                                + "%.1f images/s%n", space, 100 * fidelity.accuracy(),
                        java.util.Arrays.toString(fidelity.perDigit()), spread, 10 * samples / seconds);
                String name = models.unet(space).architecture().name();
                ModelManifest.put(out.resolve(name), "evaluation", evaluation);
            }
        }
    }
}
