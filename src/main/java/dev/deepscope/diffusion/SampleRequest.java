package dev.deepscope.diffusion;

import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/diffusion/sample}: what a run's {@link DiffusionParams} ask (without streaming
 * noise), for {@code count} images at once (1..64, default 1).
 */
@Schema(description = "What to sample: a digit, a prompt or neither (unconditional), and how many images; missing "
        + "values take their defaults.")
public record SampleRequest(
        @Schema(description = "the digit to draw (not with a prompt)", minimum = "0", maximum = "9") Integer digit,
        @Schema(description = "free text CLIP reads (not with a digit)", maxLength = DiffusionParams.MAX_PROMPT)
        String prompt,
        @Schema(description = "classifier-free guidance w", minimum = "0", maximum = "30", defaultValue = "3")
        Double guidance,
        @Schema(description = "denoising steps", minimum = "1", maximum = "" + NoiseSchedule.T, defaultValue = "50")
        Integer steps,
        @Schema(allowableValues = {"ddpm", "ddim"}, defaultValue = "ddim") String sampler,
        @Schema(allowableValues = {"pixel", "latent"}, defaultValue = "pixel") String space,
        @Schema(defaultValue = "0") Long seed,
        @Schema(description = "images to sample", minimum = "1", maximum = "" + SampleRequest.MAX_COUNT,
                defaultValue = "1") Integer count) {

    public static final int MAX_COUNT = 64;

    /** Throws {@link InvalidFieldException} naming the first field out of bounds. */
    public void validate() {
        params().validate();
        if (count != null && (count < 1 || count > MAX_COUNT)) {
            throw new InvalidFieldException("count", "must be 1.." + MAX_COUNT + ", not " + count);
        }
    }

    /** The settings shared with a run's params. */
    DiffusionParams params() {
        return new DiffusionParams(digit, prompt, guidance, steps, sampler, space, seed, false, false, null);
    }

    /** What to compute (a valid request). */
    public Recipe recipe() {
        return params().recipe(count == null ? 1 : count);
    }
}
