package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Generates digits with the shipped models in pixel or latent space, turning what the sampler computes
 * into images (28×28, 0..1). Same params and seed → the same images.
 */
@Component
public class Generation {

    /** One step as pictures of the first image: x_t, x̂₀ and, when asked and guided, ε_cond and ε_uncond. */
    public record Frame(int index, int t, float[] x, float[] x0, float[] noiseConditional, float[] noiseUnconditional) {
    }

    public record Images(List<float[]> images, double seconds) {
    }

    private final GenerationModels models;

    public Generation(GenerationModels models) {
        this.models = models;
        // TensorFlow prunes and optimises a graph on its first run (tens of ms): pay that here, guided and
        // in both spaces, not in the first person's timings
        for (Space space : Space.values()) {
            generate(new DiffusionParams(0, null, 3.0, 2, "ddim", space.name().toLowerCase(), 0L, 1, false), null);
        }
    }

    /** Thrown out of {@link #generate} when its caller stopped wanting the images. */
    public static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("generation abandoned", null, false, false);
        }
    }

    /** @param frames receives every step's frame, or null when only the result matters */
    public Images generate(DiffusionParams params, Consumer<Frame> frames) {
        return generate(params, frames, () -> false);
    }

    /** As above, checking {@code abandoned} after every step and throwing {@link Abandoned} once it is true. */
    public Images generate(DiffusionParams params, Consumer<Frame> frames, BooleanSupplier abandoned) {
        Space space = params.spaceKind();
        Conditions conditions = models.conditions();
        ClipModel.TextEncoding unconditional = conditions.unconditional();
        ClipModel.TextEncoding condition = params.conditionText().equals(Captions.UNCONDITIONAL)
                ? unconditional : conditions.of(params.conditionText());
        Sampler sampler = new Sampler(models.unet(space), NoiseSchedule.LINEAR, space == Space.PIXEL);
        long start = System.nanoTime();
        Sampler.Listener listener = step -> {
            if (abandoned.getAsBoolean()) {
                throw new Abandoned();
            }
            if (frames != null) {
                frames.accept(frame(step, space, params.wantsNoise()));
            }
        };
        float[][] result = sampler.sample(params.countOrDefault(), condition, unconditional,
                params.guidanceOrDefault(), params.stepsOrDefault(), params.samplerKind(), params.seedOrDefault(),
                listener);
        List<float[]> images = new ArrayList<>(List.of(toImages(result, space)));
        return new Images(images, (System.nanoTime() - start) / 1e9);
    }

    private Frame frame(Sampler.Step step, Space space, boolean noise) {
        float[][] pictures = toImages(new float[][] {step.x()[0], step.x0()[0]}, space);
        float[] conditional = noise ? noisePicture(step.noiseConditional()[0]) : null;
        float[] unconditional = noise && step.noiseUnconditional() != null
                ? noisePicture(step.noiseUnconditional()[0]) : null;
        return new Frame(step.index(), step.t(), pictures[0], pictures[1], conditional, unconditional);
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
