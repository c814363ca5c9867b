package dev.deepscope.digits;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a person asks to classify: a model and 784 pixel intensities in 0..1, row by row.
 * Boxed numbers on purpose: a missing or null pixel must be an error, not a silent zero.
 */
@Schema(description = "A digit to classify: a model and its 28×28 pixels.")
public record DigitInput(
        @Schema(requiredMode = REQUIRED, allowableValues = {"mlp-sigmoid", "mlp-relu", "cnn"})
        String model,
        @ArraySchema(minItems = DigitArchitecture.PIXELS, maxItems = DigitArchitecture.PIXELS,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities, row by row"),
                schema = @Schema(minimum = "0", maximum = "1"))
        List<Double> pixels) {

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
