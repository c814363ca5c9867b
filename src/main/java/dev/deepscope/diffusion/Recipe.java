package dev.deepscope.diffusion;

/**
 * What {@link Generation} computes, every value resolved: the condition's text ("" = unconditional), guidance
 * w ≥ 0, the number of denoising steps (1..T), the sampler, the space, the seed and how many images; and, when
 * {@code switchCondition} is not null, the text conditioning the steps from {@code switchAtStep} on. Built from
 * a run's {@link DiffusionParams} or a {@link SampleRequest}, which check the bounds.
 */
public record Recipe(String condition, double guidance, int steps, Sampler.Kind sampler, Space space, long seed,
                     int count, String switchCondition, int switchAtStep) {

    /** A recipe with one condition throughout. */
    public Recipe(String condition, double guidance, int steps, Sampler.Kind sampler, Space space, long seed, int count) {
        this(condition, guidance, steps, sampler, space, seed, count, null, 0);
    }

    /** {@code count} images of {@code digit}, sampled with DDIM (evaluation, tests and benchmarks). */
    public static Recipe digit(int digit, Space space, double guidance, int steps, long seed, int count) {
        return new Recipe(Conditions.text(digit, null), guidance, steps, Sampler.Kind.DDIM, space, seed, count);
    }

    /** The same recipe with another sampler. */
    public Recipe with(Sampler.Kind kind) {
        return new Recipe(condition, guidance, steps, kind, space, seed, count, switchCondition, switchAtStep);
    }
}
