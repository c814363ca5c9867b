package dev.deepscope.engine.text;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/** LN(x) = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ and σ² taken over each token's C features. */
final class LayerNorm {

    private static final float EPSILON = 1e-5f;

    private final Ops tf;
    private final Operand<TFloat32> gain;   // γ (C)
    private final Operand<TFloat32> bias;   // β (C)

    LayerNorm(Ops tf, GptWeights weights, String name, int width) {
        this.tf = tf;
        this.gain = weights.create(name + "_gain", GptWeights.Init.ONES, 0, width);
        this.bias = weights.create(name + "_bias", GptWeights.Init.ZEROS, 0, width);
    }

    /** x (…, C) → (…, C), each row of C features on its own. */
    Operand<TFloat32> apply(Operand<TFloat32> x) {
        var lastAxis = tf.constant(-1);
        var mean = tf.math.mean(x, lastAxis, Mean.keepDims(true));                          // μ (…, 1)
        var centred = tf.math.sub(x, mean);                                                  // (…, C)
        var variance = tf.math.mean(tf.math.square(centred), lastAxis, Mean.keepDims(true)); // σ² (…, 1)
        var normalised = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))));
        return tf.math.add(tf.math.mul(normalised, gain), bias);
    }
}
