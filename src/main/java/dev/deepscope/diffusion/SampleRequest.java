package dev.deepscope.diffusion;

import dev.deepscope.errors.InvalidFieldException;

/**
 * The body of {@code POST /api/diffusion/sample}: what a run's {@link DiffusionParams} ask (without streaming
 * noise), for {@code count} images at once (1..64, default 1).
 */
public record SampleRequest(Integer digit, String prompt, Double guidance, Integer steps, String sampler,
                            String space, Long seed, Integer count) {

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
        return new DiffusionParams(digit, prompt, guidance, steps, sampler, space, seed, false);
    }

    /** What to compute (a valid request). */
    public Recipe recipe() {
        return params().recipe(count == null ? 1 : count);
    }
}
