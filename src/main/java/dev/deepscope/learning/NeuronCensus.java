package dev.deepscope.learning;

import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import dev.deepscope.engine.learning.LabelledImages;
import dev.deepscope.engine.learning.MlpParameters;

/**
 * Neurons that have stopped passing gradient back, counted over a sample of digits from θ in plain Java
 * (a 784-16-16-10 network on 1,000 digits is about 13 M multiply-adds). The chain rule multiplies every
 * weight's gradient by the neuron's "how responsive" factor a'(z), so:
 * <ul>
 *   <li>a <b>dead ReLU</b> has z ≤ 0 for every digit: it outputs 0 and ReLU'(z) = 0, so its weights never
 *       change again — once dead, it stays dead;</li>
 *   <li>a <b>pinned output</b> has σ(z) below 0.01 or above 0.99 for every digit, where σ'(z) = σ(1 − σ) &lt; 0.01
 *       (at most 0.25 elsewhere): the gradient through it has all but vanished.</li>
 * </ul>
 * A large step η pushes a network into both; then its answers no longer depend on the digit.
 *
 * @param deadReLUs     per hidden layer (input side first), ReLUs silent on every digit; null for sigmoid layers
 * @param pinnedOutputs output neurons pinned near 0 or 1 on every digit (0..10)
 */
public record NeuronCensus(int[] deadReLUs, int pinnedOutputs) {

    static final double PINNED = 0.01;

    /** Counts over the rows of {@code images} at the {@code sample} indices. */
    static NeuronCensus of(MlpParameters theta, LabelledImages images, int[] sample) {
        int[] widths = theta.shape().widths();
        int layers = widths.length - 1;
        boolean relu = theta.shape().activation() == Activation.RELU;
        boolean[][] responsive = new boolean[layers][];      // ever active (ReLU) / ever unpinned (output)
        for (int l = 0; l < layers; l++) {
            responsive[l] = new boolean[widths[l + 1]];
        }
        float[] pixels = images.pixels();
        for (int index : sample) {
            float[] a = new float[widths[0]];
            System.arraycopy(pixels, index * widths[0], a, 0, widths[0]);
            for (int l = 0; l < layers; l++) {
                float[] z = weightedSums(theta, l, a);
                boolean output = l == layers - 1;
                for (int j = 0; j < z.length; j++) {
                    if (output) {
                        double s = 1 / (1 + Math.exp(-z[j]));          // NaN (a diverged θ) counts as pinned
                        responsive[l][j] |= s >= PINNED && s <= 1 - PINNED;
                    } else if (relu) {
                        z[j] = Math.max(0, z[j]);                       // NaN counts as silent
                        responsive[l][j] |= z[j] > 0;
                    } else {
                        z[j] = (float) (1 / (1 + Math.exp(-z[j])));
                    }
                }
                a = z;
            }
        }
        int[] dead = relu ? new int[layers - 1] : null;
        for (int l = 0; relu && l < layers - 1; l++) {
            dead[l] = silent(responsive[l]);
        }
        return new NeuronCensus(dead, silent(responsive[layers - 1]));
    }

    /** z = a·W + b for weight matrix l, stored (in, out): w_jk at [k * out + j]. */
    private static float[] weightedSums(MlpParameters theta, int l, float[] a) {
        int out = theta.shape().widths()[l + 1];
        float[] w = theta.weights()[l];
        float[] z = theta.biases()[l].clone();
        for (int k = 0; k < a.length; k++) {
            float ak = a[k];
            if (ak != 0) {
                for (int j = 0; j < out; j++) {
                    z[j] += ak * w[k * out + j];
                }
            }
        }
        return z;
    }

    private static int silent(boolean[] responsive) {
        int n = 0;
        for (boolean r : responsive) {
            n += r ? 0 : 1;
        }
        return n;
    }
}
