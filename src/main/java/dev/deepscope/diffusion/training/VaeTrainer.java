package dev.deepscope.diffusion.training;

import dev.deepscope.engine.diffusion.VaeModel;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.MnistDigits;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the VAE on the training digits, then measures how well it keeps held-out digits and how
 * spread out its latents are: latent diffusion works on z / σ_z so its noise schedule sees unit-scale data.
 */
public final class VaeTrainer {

    public record Plan(long seed, int steps, int batchSize, float learningRate) {
        public static Plan shipped() {
            return new Plan(20261128L, 2000, 64, 2e-3f);
        }

        public Plan withSteps(int steps) {
            return new Plan(seed, steps, batchSize, learningRate);
        }
    }

    public record Outcome(List<Float> losses, double validationMeanSquaredError, double latentStd) {
    }

    private VaeTrainer() {
    }

    public static Outcome train(VaeModel vae, Plan plan, MnistDigits data, Consumer<LossLog.Progress> progress) {
        Random random = new Random(plan.seed());
        List<LabelledDigit> training = data.training();
        LossLog log = new LossLog(100, progress);
        for (int step = 1; step <= plan.steps(); step++) {
            float[][] x = new float[plan.batchSize()][];
            float[][] noise = new float[plan.batchSize()][VaeModel.LATENT_SIZE];
            for (int i = 0; i < x.length; i++) {
                x[i] = training.get(random.nextInt(training.size())).pixels();
                for (int j = 0; j < VaeModel.LATENT_SIZE; j++) {
                    noise[i][j] = (float) random.nextGaussian();
                }
            }
            log.add(vae.trainStep(x, noise));
        }
        return new Outcome(log.losses(), meanSquaredError(vae, data.validation()), latentStd(vae, training));
    }

    /** Mean over pixels and images of (x − decode(μ(x)))², pixels in 0..1. */
    public static double meanSquaredError(VaeModel vae, List<LabelledDigit> digits) {
        float[][] x = digits.stream().map(LabelledDigit::pixels).toArray(float[][]::new);
        float[][] y = vae.reconstruct(x);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                sum += (x[i][j] - y[i][j]) * (x[i][j] - y[i][j]);
            }
        }
        return sum / (x.length * (double) x[0].length);
    }

    /** σ_z: the standard deviation of every number of μ(x) over the training digits. */
    static double latentStd(VaeModel vae, List<LabelledDigit> digits) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int from = 0; from < digits.size(); from += 500) {
            float[][] x = digits.subList(from, Math.min(digits.size(), from + 500)).stream()
                    .map(LabelledDigit::pixels).toArray(float[][]::new);
            for (float[] z : vae.encode(x)) {
                for (float v : z) {
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        return Math.sqrt(sumSq / n - mean * mean);
    }
}
