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
     * @param out     what the block adds to the residual stream (B·S, C)
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

    /**
     * The cached keys and values of the P earlier tokens, and how to split a (…, P + S) pattern between them and
     * the new tokens.
     *
     * @param keys   (B, H, P, d_head)
     * @param values (B, H, P, d_head)
     * @param split  [P, −1], the same for every layer
     */
    record Past(Operand<TFloat32> keys, Operand<TFloat32> values, Operand<TInt32> split) {
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
     * @param x          the normalised residual stream, one row per token (B·S, C)
     * @param headShape  the shape (B, S, H, d_head) to split the rows' heads by
     * @param past       the earlier tokens' keys and values, or null when there are none
     * @param maskBias   0 where a query may look, −1e9 where it may not (B or 1, 1, S, P + S)
     * @param headGate   1 keeps a head, 0 knocks it out: its output is zeroed before W_O (B or 1, H, 1, 1);
     *                   null keeps every head
     */
    Output apply(Operand<TFloat32> x, Operand<TInt32> headShape, Past past, Operand<TFloat32> maskBias,
                 Operand<TFloat32> headGate) {
        var q = splitHeads(x, query, headShape);                                // (B, H, S, d)
        var k = splitHeads(x, key, headShape);                                  // (B, H, S, d)
        var v = splitHeads(x, value, headShape);                                // (B, H, S, d)
        var scale = tf.constant((float) (1 / Math.sqrt(config.headWidth())));
        Operand<TFloat32> scores;                                               // (B, H, S, P+S)
        Operand<TFloat32> weights;                                              // (B, H, S, P+S)
        Operand<TFloat32> mixed;                                                // (B, H, S, d)
        if (past == null) {
            scores = tf.math.mul(product(q, k), scale);
            weights = tf.nn.softmax(tf.math.add(scores, maskBias));
            mixed = tf.train.batchMatMul(dropout.apply(weights), v, TFloat32.class);
        } else {
            // the cached part and the new part separately, never joined: joining them would copy every cached
            // key and value (B·H·P·d each) at every step, the largest memory traffic of a decoding step
            scores = tf.math.mul(tf.concat(List.of(product(q, past.keys()), product(q, k)), tf.constant(3)), scale);
            weights = tf.nn.softmax(tf.math.add(scores, maskBias));
            var parts = tf.splitV(dropout.apply(weights), past.split(), tf.constant(3), 2L);
            mixed = tf.math.add(tf.train.batchMatMul(parts.output().get(0), past.values(), TFloat32.class),
                    tf.train.batchMatMul(parts.output().get(1), v, TFloat32.class));
        }
        var kept = headGate == null ? mixed : tf.math.mul(mixed, headGate);     // (B, H, S, d)
        var merged = tf.reshape(tf.linalg.transpose(kept, tf.constant(new int[] {0, 2, 1, 3})),
                tf.constant(new int[] {-1, config.width()}));                  // (B·S, C)
        return new Output(tf.linalg.matMul(merged, output), q, k, v, scores, weights, mixed);
    }

    /** Q·Kᵀ: (B, H, S, d) × (B, H, K, d) → (B, H, S, K). */
    private Operand<TFloat32> product(Operand<TFloat32> q, Operand<TFloat32> keys) {
        return tf.train.batchMatMul(q, keys, TFloat32.class, BatchMatMul.adjY(true));
    }

    /**
     * x·W (B·S, C) → (B, S, H, d) → (B, H, S, d). One matrix product for all the batch's rows: a broadcast batch
     * product would multiply each text's rows by W apart — at decoding (S = 1) B matrix–vector products, each
     * reading all of W again — so a batch of 16 cost nearly 16 times one.
     */
    private Operand<TFloat32> splitHeads(Operand<TFloat32> x, Operand<TFloat32> w, Operand<TInt32> heads) {
        return tf.linalg.transpose(tf.reshape(tf.linalg.matMul(x, w), heads), tf.constant(new int[] {0, 2, 1, 3}));
    }
}
