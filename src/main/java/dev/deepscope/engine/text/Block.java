package dev.deepscope.engine.text;

import dev.deepscope.engine.Dropout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A pre-LayerNorm transformer block: x ← x + Attention(LN₁(x)); x ← x + MLP(LN₂(x)). */
final class Block {

    /**
     * The residual stream after the block (B·S, C), the attention's outputs and the MLP's neurons (B·S, 4C), and
     * the two writes into the stream (B·S, C): attention's, the stream after it, and the MLP's (both after any
     * knockout).
     */
    record Output(Operand<TFloat32> residual, CausalSelfAttention.Output attention, Operand<TFloat32> neurons,
                  Operand<TFloat32> attentionWrite, Operand<TFloat32> afterAttention, Operand<TFloat32> mlpWrite) {
    }

    private final Ops tf;
    private final LayerNorm beforeAttention;
    private final CausalSelfAttention attention;
    private final LayerNorm beforeMlp;
    private final Mlp mlp;
    private final Dropout dropout;

    Block(Ops tf, GptWeights weights, int index, GptConfig config, Dropout dropout) {
        this.tf = tf;
        this.dropout = dropout;
        String name = "block" + index;
        // GPT-2: projections into the residual stream start smaller, 0.02/√(2L), so its variance stays put
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        beforeAttention = new LayerNorm(tf, weights, name + "_ln1", config.width());
        attention = new CausalSelfAttention(tf, weights, name + "_attention", config, residualStd, dropout);
        beforeMlp = new LayerNorm(tf, weights, name + "_ln2", config.width());
        mlp = new Mlp(tf, weights, name + "_mlp", config, residualStd);
    }

    /**
     * x (B·S, C) → (B·S, C), heads split by the shape (B, S, H, d); the past's keys/values may be null. The gates
     * knock parts out (serving only, else null): a head gate (B or 1, H, 1, 1) multiplies each head's output before
     * W_O, an MLP gate (B or 1, 1, 1) the MLP's write, seen as (B, S, C) by the shape {@code stream}.
     */
    Output apply(Operand<TFloat32> x, Operand<TInt32> heads, Operand<TInt32> stream, CausalSelfAttention.Past past,
                 Operand<TFloat32> maskBias, Operand<TFloat32> headGate, Operand<TFloat32> mlpGate) {
        var attended = attention.apply(beforeAttention.apply(x), heads, past, maskBias, headGate);
        var attentionWrite = dropout.apply(attended.out());
        var afterAttention = tf.math.add(x, attentionWrite);
        var mlpOut = mlp.apply(beforeMlp.apply(afterAttention));
        var mlpWrite = dropout.apply(mlpGate == null ? mlpOut.out() : tf.reshape(
                tf.math.mul(tf.reshape(mlpOut.out(), stream), mlpGate), tf.shape(mlpOut.out())));
        return new Output(tf.math.add(afterAttention, mlpWrite), attended, mlpOut.neurons(), attentionWrite,
                afterAttention, mlpWrite);
    }
}
