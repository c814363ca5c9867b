package dev.deepscope.engine.text;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A pre-LayerNorm transformer block: x ← x + Attention(LN₁(x)); x ← x + MLP(LN₂(x)). */
final class Block {

    /** The residual stream after the block (B·S, C), the attention's outputs and the MLP's neurons (B·S, 4C). */
    record Output(Operand<TFloat32> residual, CausalSelfAttention.Output attention, Operand<TFloat32> neurons) {
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

    /** x (B·S, C) → (B·S, C), heads split by the shape (B, S, H, d); the past's keys/values may be null. */
    Output apply(Operand<TFloat32> x, Operand<TInt32> heads, CausalSelfAttention.Past past,
                 Operand<TFloat32> maskBias) {
        var attended = attention.apply(beforeAttention.apply(x), heads, past, maskBias);
        var afterAttention = tf.math.add(x, dropout.apply(attended.out()));
        var mlpOut = mlp.apply(beforeMlp.apply(afterAttention));
        return new Output(tf.math.add(afterAttention, dropout.apply(mlpOut.out())), attended, mlpOut.neurons());
    }
}
