package dev.deepscope.diffusion;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import dev.deepscope.runs.Thumbnail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code diffuse} run: first a {@code prompt} event {text, read, unknown, dropped} — which words of the
 * condition's text (the prompt, or the digit's caption) CLIP read — then one {@code step} event per denoising step {index, t, x, x0} (images 0..1; with
 * {@code noise: true} also ε_cond and ε_uncond; in latent space the latent; with {@code inside: true}, on at most
 * {@value #MAX_INSIDE} evenly spaced steps and the last, the U-Net's feature maps and cross-attention; with a
 * {@code switchPrompt}, the steps from its {@code atStep} on are conditioned on its prompt or digit), then {@code done} with the image. Above
 * {@value #MAX_FRAMES} steps only every k-th step (and the last) is streamed, so a 1000-step DDPM run
 * sends about as much as a 100-step one; every step is still computed, but only streamed steps are turned
 * into pictures (in latent space each is a VAE decode).
 */
@Component
class DiffuseRun implements RunWorker<DiffusionParams> {

    static final int MAX_FRAMES = 100;
    /** Steps of a run with {@code inside: true} that carry the U-Net's inside, at most (and the last step). */
    static final int MAX_INSIDE = 10;

    private final Generation generation;

    DiffuseRun(Generation generation) {
        this.generation = generation;
    }

    @Override
    public String kind() {
        return "diffuse";
    }

    @Override
    public Class<DiffusionParams> paramsType() {
        return DiffusionParams.class;
    }

    @Override
    public void validate(DiffusionParams params) {
        params.validate();
    }

    @Override
    public DiffusionParams withDefaults(DiffusionParams params) {
        return params.withDefaults();
    }


    /** The settings, and the image it made once it is done. */
    @Override
    public RunSummary summarize(DiffusionParams params, JsonNode result) {
        JsonNode image = result == null ? null : result.get("image");
        String thumbnail = null;
        if (image != null && image.isArray() && image.size() == 28 * 28) {
            float[] pixels = new float[image.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) image.get(i).asDouble();
            }
            thumbnail = Thumbnail.grey(pixels, 28);
        }
        return new RunSummary("diffusion: " + params.describe(), thumbnail);
    }

    /**
     * A {@code step} event: the step's pictures (0..1, three decimals); the noise ones only when asked for; in
     * latent space the latent x_t (7×7×4 channels-last, three decimals); {@code inside} only on the steps that
     * carry it (see {@link InsideView}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StepEvent(int index, int t, float[] x, float[] x0, float[] noiseConditional, float[] noiseUnconditional,
                     float[] latent, InsideView inside) {
    }

    /** The {@code done} event: the image, how long sampling took, in which space, with how many steps. */
    record Done(float[] image, double seconds, String space, int steps) {
    }

    @Override
    public Object execute(DiffusionParams params, RunContext context) {
        int steps = params.stepsOrDefault();
        int every = (steps + MAX_FRAMES - 1) / MAX_FRAMES;
        context.emit("prompt", Vocabulary.read(params.conditionText()));
        // inside on every insideEvery-th step, counted among the shown ones, so at most MAX_INSIDE and the last
        int insideEvery = every * ((steps + every * MAX_INSIDE - 1) / (every * MAX_INSIDE));
        Generation.Frames frames = new Generation.Frames(index -> index % every == 0 || index == steps - 1,
                params.wantsNoise(), params.wantsInside() ? index -> index % insideEvery == 0 || index == steps - 1 : null,
                frame -> context.emit("step", new StepEvent(frame.index(), frame.t(),
                        rounded(frame.x()), rounded(frame.x0()), rounded(frame.noiseConditional()),
                        rounded(frame.noiseUnconditional()), rounded(frame.latent()), frame.inside())));
        Generation.Images result = generation.generate(params.recipe(1), frames, context::checkCancelled);
        return new Done(rounded(result.images().get(0)), result.seconds(), params.spaceKind().name().toLowerCase(),
                steps);
    }

    /** Three decimals are plenty for a picture and keep the events small (null stays null). */
    static float[] rounded(float[] values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.round(values[i] * 1000) / 1000f;
        }
        return out;
    }
}
