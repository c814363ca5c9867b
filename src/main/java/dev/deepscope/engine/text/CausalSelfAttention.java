package dev.deepscope.engine.text;

import dev.deepscope.engine.Dropout;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Multi-head causal self-attention: each token's query is compared with the keys of itself and the
 * tokens before it, softmax(Q·Kᵀ/√d_head + mask) weighs their values, and W_O maps the heads back into
 * the residual stream. Keys and values of earlier tokens can come from a cache instead of being recomputed.
 */
final class CausalSelfAttention {

    /**
     * @param out     what the block adds to the residual stream (B, S, C)
     * @param queries this call's queries (B, H, S, d_head)
     * @param keys    this call's new keys (B, H, S, d_head), to be cached
     * @param values  this call's new values (B, H, S, d_head), to be cached
     * @param scores  Q·Kᵀ/√d_head before the mask (B, H, S, P + S)
     * @param weights the attention pattern softmax(Q·Kᵀ/√d_head) (B, H, S, P + S)
     * @param heads   each head's weighted sum of values Σ_j w_j v_j, before any knockout (B, H, S, d_head)
     */
    record Output(Operand<TFloat32> out, Operand<TFloat32> queries, Operand<TFloat32> keys,
                  Operand<TFloat32> values, Operand<TFloat32> scores, Operand<TFloat32> weights,
                  Operand<TFloat32> heads) {
    }

    private final Ops tf;
    private final GptConfig config;
    private final Operand<TFloat32> query;   // W_Q (C, C), all heads side by side
    private final Operand<TFloat32> key;     // W_K (C, C)
    private final Operand<TFloat32> value;   // W_V (C, C)
    private final Operand<TFloat32> output;  // W_O (C, C)
    private final Dropout dropout;           // on the pattern's weights, training only

    CausalSelfAttention(Ops tf, GptWeights weights, String name, GptConfig config, double residualStd,
                        Dropout dropout) {
        this.tf = tf;
        this.dropout = dropout;
        this.config = config;
        int c = config.width();
        query = weights.create(name + "_wq", GptWeights.Init.NORMAL, 0.02, c, c);
        key = weights.create(name + "_wk", GptWeights.Init.NORMAL, 0.02, c, c);
        value = weights.create(name + "_wv", GptWeights.Init.NORMAL, 0.02, c, c);
        output = weights.create(name + "_wo", GptWeights.Init.NORMAL, residualStd, c, c);
    }

    /**
     * @param x          the normalised residual stream (B, S, C)
     * @param pastKeys   cached keys of the P earlier tokens (B, H, P, d_head), or null when P = 0
     * @param pastValues cached values (B, H, P, d_head), or null
     * @param maskBias   0 where a query may look, −1e9 where it may not (B or 1, 1, S, P + S)
     * @param headGate   1 keeps a head, 0 knocks it out: its output is zeroed before W_O (B or 1, H, 1, 1);
     *                   null keeps every head
     */
    Output apply(Operand<TFloat32> x, Operand<TFloat32> pastKeys, Operand<TFloat32> pastValues,
                 Operand<TFloat32> maskBias, Operand<TFloat32> headGate) {
        var q = splitHeads(x, query);                                           // (B, H, S, d)
        var k = splitHeads(x, key);                                             // (B, H, S, d)
        var v = splitHeads(x, value);                                           // (B, H, S, d)
        var allKeys = pastKeys == null ? k : tf.concat(List.of(pastKeys, k), tf.constant(2));      // (B, H, P+S, d)
        var allValues = pastValues == null ? v : tf.concat(List.of(pastValues, v), tf.constant(2));
        var scale = tf.constant((float) (1 / Math.sqrt(config.headWidth())));
        var scores = tf.math.mul(tf.train.batchMatMul(q, allKeys, TFloat32.class, BatchMatMul.adjY(true)), scale);
        var weights = tf.nn.softmax(tf.math.add(scores, maskBias));             // (B, H, S, P+S)
        var mixed = tf.train.batchMatMul(dropout.apply(weights), allValues, TFloat32.class); // (B, H, S, d)
        var kept = headGate == null ? mixed : tf.math.mul(mixed, headGate);       // (B, H, S, d)
        var merged = tf.reshape(tf.linalg.transpose(kept, tf.constant(new int[] {0, 2, 1, 3})), tf.shape(x)); // (B, S, C)
        return new Output(tf.train.batchMatMul(merged, output, TFloat32.class), q, k, v, scores, weights, mixed);
    }

    /** x·W (B, S, C) → (B, S, H, d) → (B, H, S, d). */
    private Operand<TFloat32> splitHeads(Operand<TFloat32> x, Operand<TFloat32> w) {
        var projected = tf.train.batchMatMul(x, w, TFloat32.class);
        Operand<TInt32> batchAndSequence = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {2}));
        var shape = tf.concat(List.of(batchAndSequence, tf.constant(new int[] {config.heads(), config.headWidth()})),
                tf.constant(0));
        return tf.linalg.transpose(tf.reshape(projected, shape), tf.constant(new int[] {0, 2, 1, 3}));
    }
}
