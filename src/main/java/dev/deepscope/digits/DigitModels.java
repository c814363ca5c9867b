package dev.deepscope.digits;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.models.ModelCard;
import dev.deepscope.models.ShippedModel;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The shipped digit classifiers, restored from their checkpoints at start-up after checking each file
 * against the sha256 in its manifest. Classifying is blocking native work: call it on a TensorFlow thread.
 */
@Component
@Order(1)
public class DigitModels implements ModelCard.Source {

    /** A loaded model with what its manifest says about it and its (fixed) weights, read once. */
    public record Model(DigitNetwork network, JsonNode manifest, List<DigitNetwork.LayerWeights> weights) {
    }

    private final Map<String, Model> models = new LinkedHashMap<>();

    public DigitModels() {
        for (DigitArchitecture architecture : DigitArchitecture.ALL) {
            Model model = ShippedModel.load(architecture.name(), shipped -> {
                DigitNetwork network = DigitNetwork.restore(architecture, shipped.dir());
                return new Model(network, shipped.manifest(), network.weights());
            });
            models.put(architecture.name(), model);
        }
    }

    @Override
    public List<ModelCard> modelCards() {
        return models.values().stream().map(m -> new ModelCard(m.network().architecture().name(), "structure",
                m.network().parameterCount(), m.manifest().path("metrics"))).toList();
    }

    public List<Model> all() {
        return List.copyOf(models.values());
    }

    public Model get(String name) {
        Model model = models.get(name);
        if (model == null) {
            throw new IllegalArgumentException("unknown model " + name);
        }
        return model;
    }

    /** Rejects what the named model cannot take (the pixels, or an ablate entry), naming the field. */
    public void validate(DigitInput input) {
        input.validate();
        input.validateAblation(get(input.model()).network().hidden());
    }

    /**
     * Forward pass a⁽ˡ⁺¹⁾ = σ(W a⁽ˡ⁾ + b) through every layer, keeping each layer's activations (and
     * pre-activations z when asked); the units in {@code ablate} set to their value (0: off) on the way.
     */
    public Classification classify(DigitInput input) {
        DigitNetwork network = get(input.model()).network();
        DigitNetwork.Forward forward = network.forward(input.intensities(), input.interventions(),
                input.preActivations());
        List<DigitNetwork.LayerShape> shapes = network.layers();
        List<Classification.LayerActivation> layers = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            layers.add(new Classification.LayerActivation(i, shapes.get(i).name(), shapes.get(i).shape(),
                    forward.activations().get(i), forward.preActivations().get(i)));
        }
        return new Classification(input.model(), VectorMath.argMax(forward.probabilities()),
                forward.probabilities(), layers);
    }

    @PreDestroy
    void close() {
        models.values().forEach(m -> m.network().close());
    }
}
