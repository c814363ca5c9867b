package dev.deepscope.engine.learning;

import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.Random;

/**
 * Every weight and bias θ of an {@link MlpShape}, as plain arrays. {@code weights[l]} feeds layer l+1 from
 * layer l and is stored (in, out) row by row: the weight w_jk from neuron k below to neuron j above is
 * {@code weights[l][k * out + j]}, which is how TensorFlow computes z = a·W + b for a batch of rows.
 */
public record MlpParameters(MlpShape shape, float[][] weights, float[][] biases) {

    /**
     * A fresh network from a seed: w ~ N(0, g/n_in) with g = 1 for sigmoid (keeps z in σ's responsive
     * range) and g = 2 for ReLU (He), b = 0. The same seed gives the same start, so GD and SGD can race
     * from one point.
     */
    public static MlpParameters initial(MlpShape shape, long seed) {
        Random random = new Random(seed);
        int[] w = shape.widths();
        float[][] weights = new float[w.length - 1][];
        float[][] biases = new float[w.length - 1][];
        for (int l = 0; l < w.length - 1; l++) {
            double gain = l < w.length - 2 && shape.activation() == Activation.RELU ? 2 : 1;
            double std = Math.sqrt(gain / w[l]);
            weights[l] = new float[w[l] * w[l + 1]];
            for (int i = 0; i < weights[l].length; i++) {
                weights[l][i] = (float) (random.nextGaussian() * std);
            }
            biases[l] = new float[w[l + 1]];
        }
        return new MlpParameters(shape, weights, biases);
    }

    /** Weight w_jk of weight matrix {@code l} (0 = into the first hidden layer): neuron j above, k below. */
    public float weight(int l, int j, int k) {
        return weights[l][k * shape.widths()[l + 1] + j];
    }

    /** Neuron j's incoming weights in weight matrix {@code l}, e.g. 784 values that draw as a 28×28 image. */
    public float[] incoming(int l, int j) {
        int out = shape.widths()[l + 1];
        float[] row = new float[shape.widths()[l]];
        for (int k = 0; k < row.length; k++) {
            row[k] = weights[l][k * out + j];
        }
        return row;
    }

    /** θ + α·δ + β·η, layer by layer (a point on the landscape plane). */
    public MlpParameters plus(double alpha, MlpParameters delta, double beta, MlpParameters eta) {
        float[][] w = new float[weights.length][];
        float[][] b = new float[biases.length][];
        for (int l = 0; l < weights.length; l++) {
            w[l] = combine(weights[l], alpha, delta.weights[l], beta, eta.weights[l]);
            b[l] = combine(biases[l], alpha, delta.biases[l], beta, eta.biases[l]);
        }
        return new MlpParameters(shape, w, b);
    }

    /** All of θ as one vector (weights then biases, layer by layer), for dot products in weight space. */
    public double[] flatten() {
        int n = 0;
        for (int l = 0; l < weights.length; l++) {
            n += weights[l].length + biases[l].length;
        }
        double[] flat = new double[n];
        int i = 0;
        for (int l = 0; l < weights.length; l++) {
            for (float v : weights[l]) {
                flat[i++] = v;
            }
            for (float v : biases[l]) {
                flat[i++] = v;
            }
        }
        return flat;
    }

    private static float[] combine(float[] x, double alpha, float[] d, double beta, float[] e) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (float) (x[i] + alpha * d[i] + beta * e[i]);
        }
        return r;
    }
}
