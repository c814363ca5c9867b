package dev.deepscope.digits;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a person asks to classify: a model and 784 pixel intensities in 0..1, row by row, and optionally hidden
 * units to switch off or pin ({@code ablate}) and whether to return the pre-activations z too. Boxed numbers on purpose: a missing or null pixel must be an error,
 * not a silent zero.
 */
@Schema(description = "A digit to classify: a model and its 28×28 pixels; optionally hidden units to switch off.")
public record DigitInput(
        @Schema(requiredMode = REQUIRED, allowableValues = {"mlp-sigmoid", "mlp-relu", "cnn"})
        String model,
        @ArraySchema(minItems = DigitArchitecture.PIXELS, maxItems = DigitArchitecture.PIXELS,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities, row by row"),
                schema = @Schema(minimum = "0", maximum = "1"))
        List<Double> pixels,
        @ArraySchema(maxItems = MAX_ABLATIONS, arraySchema = @Schema(description = "Hidden units to set in place "
                + "of what they computed (none: the ordinary answer). Their activations in the answer are the set "
                + "value (0: switched off) and every later layer is computed with them so."))
        List<Ablation> ablate,
        @Schema(description = "Also return each layer's pre-activations z (adds ~60 KB for the cnn); default false",
                defaultValue = "false")
        Boolean preActivations) {

    /** At most this many units set in one request: more than any model has hidden units to tell apart. */
    public static final int MAX_ABLATIONS = 256;
    /** A pinned unit's value is at most this: well above any activation the models compute. */
    public static final double MAX_PIN = 100;

    /**
     * One hidden unit to set: a neuron of a dense layer, or a channel (the whole feature map) of a convolution.
     * Boxed on purpose: a missing layer or neuron is an error naming it.
     */
    @Schema(name = "DigitAblation", description = "A hidden neuron (or CNN channel) set in place of its activation.")
    public record Ablation(
            @Schema(requiredMode = REQUIRED, description = "A hidden layer of the model: hidden1, hidden2 for the "
                    + "MLPs; conv1, conv2, dense for the cnn", example = "hidden1")
            String layer,
            @Schema(requiredMode = REQUIRED, minimum = "0", description = "The neuron (or channel) in that layer, "
                    + "0-based: below 16 for hidden1/hidden2/conv1, 32 for conv2, 128 for dense")
            Integer neuron,
            @Schema(minimum = "0", maximum = "100", defaultValue = "0", description = "What its activation becomes: "
                    + "0 (the default) switches it off; another value pins it on at that value")
            Double value) {

        /** The value the unit is set to: 0 unless pinned. */
        public float setTo() {
            return value == null ? 0f : value.floatValue();
        }
    }

    /** No ablate list means none; no preActivations means false. */
    public DigitInput {
        ablate = ablate == null ? List.of() : ablate;
        preActivations = preActivations != null && preActivations;
    }

    /** A digit to classify as it is, activations only. */
    public DigitInput(String model, List<Double> pixels) {
        this(model, pixels, List.of(), false);
    }

    /** Rejects anything the network cannot take, naming the field. */
    public void validate() {
        if (model == null || model.isBlank()) {
            throw new InvalidFieldException("model", "is required: one of " + modelNames());
        }
        if (DigitArchitecture.named(model).isEmpty()) {
            throw new InvalidFieldException("model", "unknown model '" + model + "': one of " + modelNames());
        }
        if (pixels == null) {
            throw new InvalidFieldException("pixels", "is required: 784 numbers in 0..1");
        }
        if (pixels.size() != DigitArchitecture.PIXELS) {
            throw new InvalidFieldException("pixels",
                    "must hold exactly 784 numbers (28×28), not " + pixels.size());
        }
        for (int i = 0; i < pixels.size(); i++) {
            Double p = pixels.get(i);
            if (p == null || p.isNaN() || p < 0 || p > 1) {
                throw new InvalidFieldException("pixels[" + i + "]", "must be a number in 0..1, not " + p);
            }
        }
    }

    /**
     * Rejects an {@code ablate} entry the model cannot take, naming it ({@code ablate[0].neuron}); {@code hidden}
     * are the model's hidden layers, their units counted by the last dimension.
     */
    public void validateAblation(List<DigitNetwork.LayerShape> hidden) {
        if (ablate.size() > MAX_ABLATIONS) {
            throw new InvalidFieldException("ablate", "may set at most " + MAX_ABLATIONS + " units, not " + ablate.size());
        }
        List<String> names = hidden.stream().map(DigitNetwork.LayerShape::name).toList();
        for (int i = 0; i < ablate.size(); i++) {
            Ablation a = ablate.get(i);
            String at = "ablate[" + i + "]";
            if (a == null) {
                throw new InvalidFieldException(at, "must be an object {\"layer\", \"neuron\"}");
            }
            if (a.layer() == null || !names.contains(a.layer())) {
                throw new InvalidFieldException(at + ".layer", (a.layer() == null ? "is required" : "'" + a.layer()
                        + "' is not a hidden layer of " + model) + ": one of " + names);
            }
            long[] shape = hidden.get(names.indexOf(a.layer())).shape();
            long units = shape[shape.length - 1];
            if (a.neuron() == null || a.neuron() < 0 || a.neuron() >= units) {
                throw new InvalidFieldException(at + ".neuron", (a.neuron() == null ? "is required" : "is " + a.neuron())
                        + ": " + a.layer() + " has " + units + (shape.length == 3 ? " channels" : " neurons")
                        + ", numbered 0.." + (units - 1));
            }
            if (a.value() != null && (a.value().isNaN() || a.value() < 0 || a.value() > MAX_PIN)) {
                throw new InvalidFieldException(at + ".value", "must be a number in 0.." + (int) MAX_PIN + ", not " + a.value());
            }
        }
    }

    /** The ablate list as the network's interventions. */
    public List<DigitNetwork.Intervention> interventions() {
        return ablate.stream().map(a -> new DigitNetwork.Intervention(a.layer(), a.neuron(), a.setTo())).toList();
    }

    public float[] intensities() {
        float[] values = new float[pixels.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels.get(i).floatValue();
        }
        return values;
    }

    private static List<String> modelNames() {
        return DigitArchitecture.ALL.stream().map(DigitArchitecture::name).toList();
    }
}
