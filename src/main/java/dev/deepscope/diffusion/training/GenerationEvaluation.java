package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Generation;
import dev.deepscope.diffusion.Recipe;
import dev.deepscope.diffusion.Space;
import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.digits.DigitNetwork;
import java.util.List;

/**
 * How good the generators are, measured with models they never trained with: samples asked for digit d
 * are read by chapter 1's CNN (98.997 % on held-out digits), and the spread of same-digit samples is their
 * root-mean-square distance to their mean image (pixels 0..1). Seeds are fixed, so results repeat.
 */
public final class GenerationEvaluation {

    /** Fraction of samples read as the digit they were asked for, overall and per digit. */
    public record Fidelity(double accuracy, double[] perDigit, int samplesPerDigit) {
    }

    private GenerationEvaluation() {
    }

    public static Fidelity fidelity(Generation generation, DigitNetwork cnn, Space space, double guidance, int steps,
                                    int samplesPerDigit, long seed) {
        double[] perDigit = new double[10];
        int correct = 0;
        for (int d = 0; d < 10; d++) {
            List<float[]> images = generation.generate(params(d, space, guidance, steps, seed + d, samplesPerDigit))
                    .images();
            float[][] p = cnn.probabilities(images.toArray(float[][]::new));
            int right = 0;
            for (float[] row : p) {
                right += VectorMath.argMax(row) == d ? 1 : 0;
            }
            perDigit[d] = (double) right / samplesPerDigit;
            correct += right;
        }
        return new Fidelity((double) correct / (10 * samplesPerDigit), perDigit, samplesPerDigit);
    }

    /**
     * How different same-digit samples are, averaged over digits: in pixels, √(mean ‖x − x̄‖² / 784); in
     * CLIP's image space, √(mean ‖f(x) − f̄‖²) of the unit embeddings (shape rather than ink).
     */
    public record Spread(double pixels, double clip) {
    }

    public static Spread spread(Generation generation, ClipModel clip, Space space, double guidance, int steps,
                                int samplesPerDigit, long seed) {
        double pixels = 0;
        double embedded = 0;
        for (int d = 0; d < 10; d++) {
            List<float[]> images = generation.generate(params(d, space, guidance, steps, seed + d, samplesPerDigit))
                    .images();
            pixels += rmsToMean(images);
            embedded += rmsToMean(List.of(clip.embedImages(images.toArray(float[][]::new)))) * Math.sqrt(ClipModel.WIDTH);
        }
        return new Spread(pixels / 10, embedded / 10);
    }

    static double rmsToMean(List<float[]> images) {
        int size = images.get(0).length;
        double[] mean = new double[size];
        for (float[] image : images) {
            for (int j = 0; j < size; j++) {
                mean[j] += image[j] / (double) images.size();
            }
        }
        double sum = 0;
        for (float[] image : images) {
            for (int j = 0; j < size; j++) {
                sum += (image[j] - mean[j]) * (image[j] - mean[j]);
            }
        }
        return Math.sqrt(sum / (images.size() * (double) size));
    }

    static Recipe params(int digit, Space space, double guidance, int steps, long seed, int count) {
        return Recipe.digit(digit, space, guidance, steps, seed, count);
    }
}
