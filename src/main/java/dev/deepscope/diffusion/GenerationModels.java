package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetArchitecture;
import dev.deepscope.engine.diffusion.UNetModel;
import dev.deepscope.engine.diffusion.VaeModel;
import dev.deepscope.models.ModelCard;
import dev.deepscope.models.ShippedModel;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Chapter 4's shipped models — CLIP, the VAE and the two U-Nets — restored at start-up after checking
 * every checkpoint file against the sha256 in its manifest. All calls are blocking native work.
 */
@Component
@Order(4)
public class GenerationModels implements AutoCloseable, ModelCard.Source {

    private final ClipModel clip;
    private final VaeModel vae;
    private final UNetModel pixelUNet;
    private final UNetModel latentUNet;
    private final double latentStd;
    private final Conditions conditions;
    private final Map<String, JsonNode> manifests = new LinkedHashMap<>();
    private final Map<String, Long> parameters = new LinkedHashMap<>();

    public GenerationModels() {
        clip = load("clip", ClipModel::restore);
        vae = load("vae", VaeModel::restore);
        pixelUNet = load(UNetArchitecture.PIXEL.name(), dir -> UNetModel.restore(UNetArchitecture.PIXEL, dir));
        latentUNet = load(UNetArchitecture.LATENT.name(), dir -> UNetModel.restore(UNetArchitecture.LATENT, dir));
        latentStd = manifests.get("vae").path("metrics").path("latentStd").asDouble();
        conditions = new Conditions(clip);
        parameters.put("clip", clip.parameterCount());
        parameters.put("vae", vae.parameterCount());
        parameters.put(UNetArchitecture.PIXEL.name(), pixelUNet.parameterCount());
        parameters.put(UNetArchitecture.LATENT.name(), latentUNet.parameterCount());
    }

    private <T> T load(String name, Function<Path, T> restore) {
        return ShippedModel.load(name, shipped -> {
            manifests.put(name, shipped.manifest());
            return restore.apply(shipped.dir());
        });
    }

    public ClipModel clip() {
        return clip;
    }

    public VaeModel vae() {
        return vae;
    }

    public Conditions conditions() {
        return conditions;
    }

    public double latentStd() {
        return latentStd;
    }

    public UNetModel unet(Space space) {
        return space == Space.LATENT ? latentUNet : pixelUNet;
    }

    /** Name → manifest, for /api/system and the tests that hold the shipped models to their numbers. */
    public Map<String, JsonNode> manifests() {
        return java.util.Collections.unmodifiableMap(manifests);
    }

    /**
     * The chapter's models for /api/system: each manifest's {@code metrics} (measured in training) plus, where the
     * manifest has them, the {@code data} it learned from and the U-Nets' {@code evaluation} (faithfulness and spread,
     * EvaluateGeneration) and {@code propertyEvaluation} (prompts naming a property, PropertyBenchmark).
     */
    @Override
    public List<ModelCard> modelCards() {
        return manifests.entrySet().stream().map(m -> new ModelCard(m.getKey(), "generation",
                parameters.get(m.getKey()), cardMetrics(m.getValue()))).toList();
    }

    private static JsonNode cardMetrics(JsonNode manifest) {
        JsonNode measured = manifest.path("metrics");
        tools.jackson.databind.node.ObjectNode metrics = measured.isObject()
                ? (tools.jackson.databind.node.ObjectNode) measured.deepCopy()
                : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String field : List.of("data", "evaluation", "propertyEvaluation")) {
            if (manifest.has(field)) {
                metrics.set(field, manifest.get(field));
            }
        }
        return metrics;
    }

    public Map<String, Long> parameterCounts() {
        return Map.copyOf(parameters);
    }

    @PreDestroy
    @Override
    public void close() {
        clip.close();
        vae.close();
        pixelUNet.close();
        latentUNet.close();
    }
}
