package dev.deepscope.engine.diffusion;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;

/**
 * The VAE that compresses a 28×28 digit to a 7×7×4 latent (196 numbers instead of 784) and back.
 * Encoder q(z|x) = N(μ(x), diag σ²(x)); decoder p(x|z) with per-pixel Bernoulli logits.
 * For training the decoder reads z = μ + σ·ε (the reparameterisation trick, ε fed from Java so it
 * is seeded); for serving it reads latents fed directly. Both builds make the same variables.
 */
final class VaeGraph {

    static final int SIDE = 7;
    static final int CHANNELS = 4;

    final Placeholder<TFloat32> pixels;          // (N, 784) in 0..1
    final Operand<TFloat32> mean;                // (N, 7, 7, 4) μ
    final Operand<TFloat32> logVariance;         // (N, 7, 7, 4) log σ²
    final Placeholder<TFloat32> noise;           // (N, 7, 7, 4) ε ~ N(0, I), training only
    final Placeholder<TFloat32> latent;          // (N, 7, 7, 4) serving only
    final Operand<TFloat32> logits;              // (N, 784) decoder output before the sigmoid
    final Operand<TFloat32> decoded;             // (N, 784) = σ(logits), in 0..1
    final Layers layers;

    VaeGraph(Graph graph, long seed, boolean training) {
        layers = new Layers(graph, seed);
        Ops tf = layers.tf();
        pixels = tf.withName("pixels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28 * 28)));
        Operand<TFloat32> image = tf.reshape(pixels, tf.constant(new int[] {-1, 28, 28, 1}));
        Operand<TFloat32> e = layers.silu(layers.conv("enc_conv1", image, 16, 3, 2));        // (N, 14, 14, 16)
        e = layers.silu(layers.conv("enc_conv2", e, 32, 3, 2));                              // (N, 7, 7, 32)
        e = layers.silu(layers.conv("enc_conv3", e, 64, 3, 1));                              // (N, 7, 7, 64)
        Operand<TFloat32> moments = layers.conv("enc_moments", e, 2 * CHANNELS, 3, 1);      // (N, 7, 7, 8)
        Split<TFloat32> halves = tf.split(tf.constant(3), moments, 2L);
        mean = halves.output().get(0);
        logVariance = halves.output().get(1);

        Shape latentShape = Shape.of(-1, SIDE, SIDE, CHANNELS);
        Operand<TFloat32> z;
        if (training) {
            noise = tf.withName("noise").placeholder(TFloat32.class, Placeholder.shape(latentShape));
            latent = null;
            // z = μ + σ·ε with σ = exp(½ log σ²)
            z = tf.math.add(mean, tf.math.mul(tf.math.exp(tf.math.mul(logVariance, tf.constant(0.5f))), noise));
        } else {
            noise = null;
            latent = tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(latentShape));
            z = latent;
        }
        Operand<TFloat32> d = layers.silu(layers.conv("dec_conv1", z, 64, 3, 1));           // (N, 7, 7, 64)
        d = layers.silu(layers.conv("dec_conv2", layers.upsample(d, 14, 14), 32, 3, 1));    // (N, 14, 14, 32)
        d = layers.silu(layers.conv("dec_conv3", layers.upsample(d, 28, 28), 16, 3, 1));    // (N, 28, 28, 16)
        Operand<TFloat32> out = layers.conv("dec_out", d, 1, 3, 1);                          // (N, 28, 28, 1)
        logits = tf.reshape(out, tf.constant(new int[] {-1, 28 * 28}));
        decoded = tf.math.sigmoid(logits);
    }

    /**
     * The negative ELBO per image, averaged over the batch: reconstruction Σ BCE(x, σ(l)) =
     * Σ softplus(l) − x·l, plus KL(q(z|x) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²).
     */
    Operand<TFloat32> loss() {
        Ops tf = layers.tf();
        Operand<TFloat32> reconstruction = tf.sum(tf.math.sub(tf.math.softplus(logits), tf.math.mul(pixels, logits)),
                tf.constant(1));
        Operand<TFloat32> kl = tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.sub(tf.math.sub(
                tf.math.add(tf.math.square(mean), tf.math.exp(logVariance)), tf.constant(1f)), logVariance),
                tf.constant(new int[] {1, 2, 3})));
        return tf.math.mean(tf.math.add(reconstruction, kl), tf.constant(0));
    }
}
