package dev.deepscope.engine.text;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The MLP block, where facts are thought to be stored: up-project to 4C, GELU, down-project to C.
 * Each of the 4C hidden units is a "neuron" whose activation the page can show.
 */
final class Mlp {

    record Output(Operand<TFloat32> out, Operand<TFloat32> neurons) {
    }

    private final Ops tf;
    private final Operand<TFloat32> up;       // W_up (C, 4C)
    private final Operand<TFloat32> upBias;   // (4C)
    private final Operand<TFloat32> down;     // W_down (4C, C)
    private final Operand<TFloat32> downBias; // (C)

    Mlp(Ops tf, GptWeights weights, String name, GptConfig config, double residualStd) {
        this.tf = tf;
        up = weights.create(name + "_up", GptWeights.Init.NORMAL, 0.02, config.width(), config.mlpWidth());
        upBias = weights.create(name + "_up_bias", GptWeights.Init.ZEROS, 0, config.mlpWidth());
        down = weights.create(name + "_down", GptWeights.Init.NORMAL, residualStd, config.mlpWidth(), config.width());
        downBias = weights.create(name + "_down_bias", GptWeights.Init.ZEROS, 0, config.width());
    }

    /** x (B·S, C) → out (B·S, C), neurons (B·S, 4C): one row per token. */
    Output apply(Operand<TFloat32> x) {
        var hidden = tf.math.add(matMul(x, up), upBias);                  // (B·S, 4C)
        var neurons = gelu(hidden);                                          // (B·S, 4C)
        return new Output(tf.math.add(matMul(neurons, down), downBias), neurons);
    }

    /** GELU(x) = x · Φ(x) = ½ x (1 + erf(x / √2)), the exact form (Erf has a gradient). */
    private Operand<TFloat32> gelu(Operand<TFloat32> x) {
        var phi = tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2))))));
        return tf.math.mul(tf.math.mul(x, phi), tf.constant(0.5f));
    }

    /** One product for all the batch's rows, reading W once (a broadcast batch product would read it per text). */
    private Operand<TFloat32> matMul(Operand<TFloat32> x, Operand<TFloat32> w) {
        return tf.linalg.matMul(x, w);                                       // (B·S, in) @ (in, out)
    }
}
