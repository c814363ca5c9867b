package dev.deepscope.bench;

import dev.deepscope.diffusion.DigitProperties.Property;
import dev.deepscope.diffusion.Generation;
import dev.deepscope.diffusion.GenerationModels;
import dev.deepscope.diffusion.Space;
import dev.deepscope.diffusion.training.PropertyEvaluation;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.models.ModelManifest;
import dev.deepscope.models.ShippedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Do prompts that name a property get it? For each property and space, every digit with N seed pairs: "a thin
 * d" vs "a bold d" (and so on) from the same noise, the share of pairs that differ in the measured property
 * in the asked direction and the share of images the CNN reads as d (see {@link PropertyEvaluation}):
 * {@code mvn test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.deepscope.bench.PropertyBenchmark
 * -Dexec.args="[--pairs 20] [--space pixel|latent] [--guidance 3] [--record]"}. 20 pairs a digit (400 images a property)
 * measure a read rate near 95 % to about ±1.1 points; 5 pairs left ±2.4. {@code --record} writes the figures into the
 * U-Net's manifest (src/main/resources/models, under propertyEvaluation), where {@code PropertyPromptsTest} holds the
 * checkpoints to them.
 */
public final class PropertyBenchmark {

    public static final long SEED = 3000;

    public static void main(String[] args) {
        int pairs = 20;
        boolean record = false;
        double guidance = PropertyEvaluation.GUIDANCE;
        List<Space> spaces = List.of(Space.LATENT, Space.PIXEL);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--space" -> spaces = List.of(Space.valueOf(args[++i].toUpperCase()));
                case "--record" -> record = true;
                case "--guidance" -> guidance = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException(
                        "options: --pairs N, --space pixel|latent, --guidance w, --record");
            }
        }
        List<Integer> digits = IntStream.range(0, 10).boxed().toList();
        try (GenerationModels models = new GenerationModels();
             DigitNetwork cnn = ShippedModel.load("cnn", s -> DigitNetwork.restore(DigitArchitecture.named("cnn").orElseThrow(), s.dir()))) {
            Generation generation = new Generation(models);
            for (Space space : spaces) {
                Map<String, Object> byProperty = new LinkedHashMap<>();
                long start = System.nanoTime();
                for (Property property : Property.values()) {
                    PropertyEvaluation.Result r = PropertyEvaluation.measure(generation, cnn, space, property, digits,
                            pairs, SEED, guidance);
                    System.out.printf("%-6s %-10s %3d pairs: %5.1f %% in the asked direction (%s %.3f → %s %.3f), "
                                    + "%5.1f %% read as the asked digit%n", space, property, r.pairs(),
                            100 * r.directionRate(), property.low(), r.meanLow(), property.high(), r.meanHigh(),
                            100 * r.readRate());
                    byProperty.put(property.name().toLowerCase(java.util.Locale.ROOT), Map.of(
                            "prompts", PropertyEvaluation.prompt(property, 4, false) + " / "
                                    + PropertyEvaluation.prompt(property, 4, true),
                            "pairs", r.pairs(), "inAskedDirection", r.directionRate(), "readAsAsked", r.readRate(),
                            "meanLow", r.meanLow(), "meanHigh", r.meanHigh()));
                }
                System.out.printf("%s: %.0f s%n", space, (System.nanoTime() - start) / 1e9);
                if (record) {
                    Path dir = Path.of("src/main/resources/models", models.unet(space).architecture().name());
                    ModelManifest.put(dir, "propertyEvaluation", Map.of("guidance", guidance,
                            "steps", PropertyEvaluation.STEPS, "sampler", "ddim", "digits", "0-9",
                            "pairsPerDigit", pairs, "seed", SEED + " + digit", "byProperty", byProperty));
                }
            }
        }
    }
}
