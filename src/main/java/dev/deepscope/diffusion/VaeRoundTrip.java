package dev.deepscope.diffusion;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.diffusion.VaeModel;
import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A drawing (784 intensities in 0..1, row by row) to send through the VAE and back: x → μ = E(x) → x̂ = D(μ).
 * Boxed numbers on purpose: a missing or null pixel is an error naming it, not a silent zero.
 */
@Schema(description = "A 28×28 image to encode with the VAE and decode again")
record VaeRoundTrip(
        @ArraySchema(minItems = PIXELS, maxItems = PIXELS,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities in 0..1, row by row"),
                schema = @Schema(minimum = "0", maximum = "1"))
        List<Double> pixels) {

    static final int PIXELS = 28 * 28;
    static final int SIDE = 7;
    static final int CHANNELS = 4;

    /**
     * The round trip: {@code latent[c][y][x]} is the VAE's mean latent μ = E(x) scaled to unit spread, z = μ/σ_z
     * (the z the latent U-Net denoises; 4 channels of 7 × 7); {@code decoded} the 784 pixels x̂ = D(μ) in 0..1;
     * {@code meanSquaredError} = mean over pixels of (x̂ − x)²; {@code latentStd} = σ_z.
     */
    record Answer(float[][][] latent, float[] decoded, double meanSquaredError, double latentStd) {
    }

    /** Throws {@link InvalidFieldException} naming {@code pixels} or the first bad pixel. */
    void validate() {
        if (pixels == null || pixels.size() != PIXELS) {
            throw new InvalidFieldException("pixels", "must hold exactly 784 numbers (28×28), not "
                    + (pixels == null ? "none" : pixels.size()));
        }
        for (int i = 0; i < PIXELS; i++) {
            Double p = pixels.get(i);
            if (p == null || p.isNaN() || p < 0 || p > 1) {
                throw new InvalidFieldException("pixels[" + i + "]", "must be a number in 0..1");
            }
        }
    }

    float[] image() {
        float[] out = new float[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            out[i] = pixels.get(i).floatValue();
        }
        return out;
    }

    /** Encodes and decodes the (valid) image with the VAE; blocking native work. */
    Answer run(VaeModel vae, double latentStd) {
        float[] x = image();
        float[] mean = vae.encode(new float[][] {x})[0];          // μ(x): 7 × 7 × 4, channels last
        float[] decoded = vae.decode(new float[][] {mean})[0];    // D(μ(x))
        float[][][] latent = new float[CHANNELS][SIDE][SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int col = 0; col < SIDE; col++) {
                for (int c = 0; c < CHANNELS; c++) {
                    latent[c][y][col] = (float) (mean[(y * SIDE + col) * CHANNELS + c] / latentStd);
                }
            }
        }
        double squares = 0;
        for (int i = 0; i < PIXELS; i++) {
            double d = decoded[i] - x[i];
            squares += d * d;
        }
        return new Answer(latent, decoded, squares / PIXELS, latentStd);
    }
}
