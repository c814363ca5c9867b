package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Captions;
import dev.deepscope.diffusion.NoiseSchedule;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetArchitecture;
import dev.deepscope.engine.diffusion.UNetModel;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a U-Net to predict noise (DDPM's simple loss): for a training example x₀ with a random caption
 * of it (its digit and some of its measured properties, {@link CaptionedDigits}), pick t ~ U{0..T−1} and ε ~ N(0, I), form x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε and regress ε.
 * With probability {@code dropCondition} the caption is replaced by the empty prompt, so the same
 * network also learns ε_uncond — what classifier-free guidance needs.
 */
public final class DiffusionTrainer {

    /** @param averageDecay d of the weights' moving average the trained network ends with (see WeightAverage) */
    public record Plan(UNetArchitecture architecture, long seed, int steps, int batchSize, float learningRate,
                       double dropCondition, double averageDecay) {

        public static Plan shipped(UNetArchitecture architecture) {
            return architecture == UNetArchitecture.LATENT
                    ? new Plan(architecture, 20261130L, 10000, 128, 1e-3f, 0.15, 0.999)
                    : new Plan(architecture, 20261130L, 3600, 64, 1e-3f, 0.15, 0.999);
        }

        /**
         * Fine-tuning a trained U-Net to new conditions (a retrained CLIP): the same recipe at half the learning
         * rate, {@code steps} long; the moving average forgets the starting weights within the first few hundred
         * steps (its warm-up, see WeightAverage).
         */
        public static Plan fineTuning(UNetArchitecture architecture, int steps) {
            Plan p = shipped(architecture);
            return new Plan(architecture, p.seed(), steps, p.batchSize(), p.learningRate() / 2, p.dropCondition(),
                    p.averageDecay());
        }

        public Plan withSteps(int steps) {
            return new Plan(architecture, seed, steps, batchSize, learningRate, dropCondition, averageDecay);
        }

        public Plan withSeed(long seed) {
            return new Plan(architecture, seed, steps, batchSize, learningRate, dropCondition, averageDecay);
        }
    }

    private DiffusionTrainer() {
    }

    /**
     * Trains {@code unet} and leaves it holding the moving average of its weights over the run.
     *
     * @param examples training examples in the U-Net's space (pixels scaled to −1..1, or scaled latents)
     * @param digits   the same examples as images, captioned (examples[i] is digits' image i)
     */
    public static List<Float> train(UNetModel unet, Plan plan, float[][] examples, CaptionedDigits digits,
                                    ClipModel clip, Consumer<LossLog.Progress> progress) {
        NoiseSchedule schedule = NoiseSchedule.LINEAR;
        ClipModel.TextEncoding empty = clip.encodeTexts(new String[] {Captions.UNCONDITIONAL})[0];
        Random random = new Random(plan.seed());
        int n = plan.batchSize();
        int size = plan.architecture().size();
        LossLog log = new LossLog(50, progress);
        WeightAverage average = new WeightAverage(plan.averageDecay());
        for (int step = 1; step <= plan.steps(); step++) {
            float[][] x = new float[n][];
            float[][] eps = new float[n][size];
            float[] t = new float[n];
            float[][] condition = new float[n][];
            float[][] mask = new float[n][];
            String[] texts = new String[n];
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(examples.length);
                int time = random.nextInt(NoiseSchedule.T);
                for (int j = 0; j < size; j++) {
                    eps[i][j] = (float) random.nextGaussian();
                }
                x[i] = schedule.noisy(examples[k], eps[i], time);
                t[i] = time;
                texts[i] = random.nextDouble() < plan.dropCondition() ? null : digits.caption(k, random).text();
            }
            // one CLIP call for the batch's captions (tens of thousands of distinct ones: no table of them all)
            String[] said = java.util.Arrays.stream(texts).filter(java.util.Objects::nonNull).toArray(String[]::new);
            ClipModel.TextEncoding[] encoded = said.length == 0 ? new ClipModel.TextEncoding[0] : clip.encodeTexts(said);
            for (int i = 0, next = 0; i < n; i++) {
                ClipModel.TextEncoding c = texts[i] == null ? empty : encoded[next++];
                condition[i] = c.condition();
                mask[i] = c.conditionMask();
            }
            log.add(unet.trainStep(new UNetModel.Batch(x, t, condition, mask), eps));
            average.update(unet.weights());
        }
        unet.loadWeights(average.values());
        return log.losses();
    }
}
