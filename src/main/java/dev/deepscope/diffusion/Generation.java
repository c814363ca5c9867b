package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.springframework.stereotype.Component;

/**
 * Generates digits with the shipped models in pixel or latent space, turning what the sampler computes
 * into images (28×28, 0..1). Same params and seed → the same images.
 */
@Component
public class Generation {

    /**
     * One step as pictures of the first image: x_t, x̂₀ and, when asked and guided, ε_cond and ε_uncond; in latent
     * space also the latent x_t itself (7×7×4 channels-last, the scaled z the U-Net denoises; null in pixel space);
     * and, on the steps asked for, what the U-Net computed inside (else null).
     */
    public record Frame(int index, int t, float[] x, float[] x0, float[] noiseConditional, float[] noiseUnconditional,
                        float[] latent, InsideView inside) {
    }

    public record Images(List<float[]> images, double seconds) {
    }

    /**
     * Which steps become pictures and who gets them: {@code shown} is asked before any picture is made, so a step
     * not shown costs no decoding (in latent space a VAE decode per picture). {@code noise} adds ε_cond and
     * ε_uncond to each frame. {@code inside} (null for none) says which shown steps also carry the U-Net's
     * inside, fetched from the same forward pass as the step's ε.
     */
    public record Frames(IntPredicate shown, boolean noise, IntPredicate inside, Consumer<Frame> sink) {

        public Frames(IntPredicate shown, boolean noise, Consumer<Frame> sink) {
            this(shown, noise, null, sink);
        }

        boolean wantsInside(int index) {
            return inside != null && shown.test(index) && inside.test(index);
        }
    }

    private final GenerationModels models;
    private final AtomicLong framesMade = new AtomicLong();

    public Generation(GenerationModels models) {
        this.models = models;
        // TensorFlow prunes and optimises a graph on its first run (tens of ms): pay that here, guided and
        // in both spaces, not in the first person's timings
        for (Space space : Space.values()) {
            generate(Recipe.digit(0, space, 3.0, 2, 0, 1));
        }
    }

    /** The images alone: no frames, no stopping half way. */
    public Images generate(Recipe recipe) {
        return generate(recipe, null, () -> { });
    }

    /**
     * Samples {@code recipe}'s images.
     *
     * @param frames         the steps to show as pictures of the first image, or null when only the result matters
     * @param checkCancelled called after every step; stops the sampling by throwing (a run's
     *                       {@link dev.deepscope.runs.RunContext#checkCancelled}, or the sample API's check that
     *                       its client is still there)
     */
    public Images generate(Recipe recipe, Frames frames, Runnable checkCancelled) {
        Space space = recipe.space();
        Conditions conditions = models.conditions();
        ClipModel.TextEncoding unconditional = conditions.unconditional();
        ClipModel.TextEncoding condition = recipe.condition().equals(Captions.UNCONDITIONAL)
                ? unconditional : conditions.of(recipe.condition());
        Sampler sampler = new Sampler(models.unet(space), NoiseSchedule.LINEAR, space == Space.PIXEL);
        long start = System.nanoTime();
        InsideView.Maker inside = frames != null && frames.inside() != null
                ? new InsideView.Maker() : null;
        ClipModel.TextEncoding switchTo = recipe.switchCondition() == null ? null
                : recipe.switchCondition().equals(Captions.UNCONDITIONAL) ? unconditional
                : conditions.of(recipe.switchCondition());
        Sampler.Listener listener = new Sampler.Listener() {
            @Override
            public void onStep(Sampler.Step step) {
                checkCancelled.run();
                if (frames != null && frames.shown().test(step.index())) {
                    boolean switched = switchTo != null && step.index() >= recipe.switchAtStep();
                    frames.sink().accept(frame(step, space, frames.noise(), inside,
                            switched ? recipe.switchCondition() : recipe.condition(), switched ? switchTo : condition));
                }
            }

            @Override
            public boolean wantsInside(int index) {
                return frames != null && frames.wantsInside(index);
            }
        };
        float[][] result = sampler.sample(recipe.count(), condition, unconditional, recipe.guidance(), recipe.steps(),
                recipe.sampler(), recipe.seed(), listener, switchTo, recipe.switchAtStep());
        List<float[]> images = new ArrayList<>(List.of(toImages(result, space)));
        return new Images(images, (System.nanoTime() - start) / 1e9);
    }

    /** Frames turned into pictures so far (each a decode in latent space): what showing steps costs. */
    long framesMade() {
        return framesMade.get();
    }

    private Frame frame(Sampler.Step step, Space space, boolean noise, InsideView.Maker inside, String text,
                        ClipModel.TextEncoding encoding) {
        framesMade.incrementAndGet();
        float[][] pictures = toImages(new float[][] {step.x()[0], step.x0()[0]}, space);
        float[] conditional = noise ? noisePicture(step.noiseConditional()[0]) : null;
        float[] unconditional = noise && step.noiseUnconditional() != null
                ? noisePicture(step.noiseUnconditional()[0]) : null;
        float[] latent = space == Space.LATENT ? step.x()[0] : null;
        InsideView view = step.inside() != null && inside != null ? inside.view(step.inside(), text, encoding) : null;
        return new Frame(step.index(), step.t(), pictures[0], pictures[1], conditional, unconditional, latent, view);
    }

    float[][] toImages(float[][] x, Space space) {
        if (space == Space.LATENT) {
            return LatentSpace.toPixels(models.vae(), x, models.latentStd());
        }
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = PixelSpace.toPixels(x[i]);
        }
        return out;
    }

    /**
     * Noise as a picture, ε mapped from −3..3 to 0..1. A latent's 7×7×4 noise is laid out as a 14×14
     * image, one 7×7 tile per channel.
     */
    static float[] noisePicture(float[] eps) {
        float[] p = new float[eps.length];
        if (eps.length == 196) {
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 7; y++) {
                    for (int x = 0; x < 7; x++) {
                        int tile = (c / 2 * 7 + y) * 14 + (c % 2) * 7 + x;
                        p[tile] = eps[(y * 7 + x) * 4 + c];
                    }
                }
            }
        } else {
            System.arraycopy(eps, 0, p, 0, eps.length);
        }
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.max(0, Math.min(1, (p[j] + 3) / 6));
        }
        return p;
    }
}
