package dev.deepscope.engine.text;

import dev.deepscope.engine.Dropout;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The transformer in one graph: tokens → W_E + W_pos → L blocks → final LayerNorm → W_U → logits.
 *
 * <p>For training the causal mask is built in the graph and there is no cache. For serving the caller
 * feeds each layer's cached keys and values of the P earlier tokens and the mask, and every inner value
 * (residual stream per layer, attention patterns, MLP neurons, logit lens) can be fetched.
 *
 * <p>Between the embedding and the logits the residual stream is one row per token, (B·S, C) with text b's
 * token s in row b·S + s, so each weight matrix multiplies the whole batch in one product; only attention
 * splits it into texts and heads.
 */
final class GptGraph {

    final GptConfig config;
    final Ops tf;
    final GptWeights weights;
    final Placeholder<TInt32> tokens;                    // (B, S) token ids
    final Placeholder<TInt32> positions;                 // (B, S) positions 0..T−1
    final List<Placeholder<TFloat32>> pastKeys = new ArrayList<>();    // per layer (B, H, P, d), serving only
    final List<Placeholder<TFloat32>> pastValues = new ArrayList<>();  // per layer (B, H, P, d), serving only
    final Placeholder<TFloat32> maskBias;                // (B or 1, 1, S, P+S), serving only
    // knockouts, serving only: fed only to switch parts off, else 1 (× 1 is exact: an unfed pass is unchanged)
    final List<Operand<TFloat32>> headGates = new ArrayList<>();       // per layer (B or 1, H, 1, 1)
    final List<Operand<TFloat32>> mlpGates = new ArrayList<>();        // per layer (B or 1, 1, 1)
    final Operand<TFloat32> embedding;                   // W_E (V, C)
    final List<Operand<TFloat32>> residuals = new ArrayList<>();       // L+1 × (B·S, C): after embedding, after each block
    final List<Block.Output> blocks = new ArrayList<>();
    final Operand<TFloat32> logits;                      // (B, S, V)
    final List<Operand<TFloat32>> logitLens = new ArrayList<>();       // L+1 × (B·S, V), serving only

    private final LayerNorm finalNorm;
    private final Operand<TFloat32> unembedding;         // W_U (C, V)

    GptGraph(Graph graph, GptConfig config, GptWeights.Source initial, boolean serving) {
        this(graph, config, initial, serving, Dropout.NONE);
    }

    /** As above, with dropout on the embeddings, attention patterns and residual branches (training only). */
    GptGraph(Graph graph, GptConfig config, GptWeights.Source initial, boolean serving, Dropout dropout) {
        this.config = config;
        this.tf = Ops.create(graph);
        this.weights = new GptWeights(tf, initial);
        tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        positions = tf.withName("positions").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        embedding = weights.create("token_embedding", GptWeights.Init.NORMAL, 0.02, config.vocabulary(), config.width());
        var positionEmbedding = weights.create("position_embedding", GptWeights.Init.NORMAL, 0.01,
                config.context(), config.width());
        var zero = tf.constant(0);
        Operand<TFloat32> x = tf.reshape(tf.math.add(tf.gather(embedding, tokens, zero),
                tf.gather(positionEmbedding, positions, zero)), tf.constant(new int[] {-1, config.width()})); // (B·S, C)
        x = dropout.apply(x);
        Operand<TInt32> batchAndSequence = tf.shape(tokens);                                // (B, S)
        Operand<TInt32> heads = tf.concat(List.of(batchAndSequence,
                tf.constant(new int[] {config.heads(), config.headWidth()})), zero);         // (B, S, H, d)
        Operand<TInt32> stream = tf.concat(List.of(batchAndSequence, tf.constant(new int[] {config.width()})), zero); // (B, S, C)
        residuals.add(x);
        Operand<TFloat32> mask;
        if (serving) {
            maskBias = tf.withName("mask_bias").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1, -1, -1)));
            mask = maskBias;
        } else {
            maskBias = null;
            mask = causalMask();
        }
        var headShape = Shape.of(-1, config.heads(), -1, config.headWidth());
        Operand<TInt32> pastSplit = null;                                                    // [P, −1]
        for (int l = 0; l < config.layers(); l++) {
            Block block = new Block(tf, weights, l, config, dropout);
            CausalSelfAttention.Past past = null;
            Operand<TFloat32> headGate = null;
            Operand<TFloat32> mlpGate = null;
            if (serving) {
                var keys = tf.withName("past_keys" + l).placeholder(TFloat32.class, Placeholder.shape(headShape));
                var values = tf.withName("past_values" + l).placeholder(TFloat32.class, Placeholder.shape(headShape));
                pastKeys.add(keys);
                pastValues.add(values);
                if (pastSplit == null) {
                    pastSplit = tf.concat(List.of(tf.slice(tf.shape(keys), tf.constant(new int[] {2}),
                            tf.constant(new int[] {1})), tf.constant(new int[] {-1})), zero);
                }
                past = new CausalSelfAttention.Past(keys, values, pastSplit);
                headGate = tf.withName("head_gate" + l).placeholderWithDefault(
                        tf.fill(tf.constant(new int[] {1, config.heads(), 1, 1}), tf.constant(1f)),
                        Shape.of(-1, config.heads(), 1, 1));
                mlpGate = tf.withName("mlp_gate" + l).placeholderWithDefault(
                        tf.fill(tf.constant(new int[] {1, 1, 1}), tf.constant(1f)), Shape.of(-1, 1, 1));
                headGates.add(headGate);
                mlpGates.add(mlpGate);
            }
            Block.Output out = block.apply(x, heads, stream, past, mask, headGate, mlpGate);
            blocks.add(out);
            x = out.residual();
            residuals.add(x);
        }
        finalNorm = new LayerNorm(tf, weights, "final_ln", config.width());
        unembedding = weights.create("unembedding", GptWeights.Init.NORMAL, 0.02, config.width(), config.vocabulary());
        logits = tf.reshape(unembed(x), tf.concat(List.of(batchAndSequence,
                tf.constant(new int[] {config.vocabulary()})), zero));                     // (B, S, V)
        if (serving) {
            // the logit lens: what W_U would predict if the stream stopped after this block
            for (Operand<TFloat32> r : residuals) {
                logitLens.add(unembed(r));
            }
        }
    }

    /** logits = LN_f(x) · W_U: (B·S, C) → (B·S, V). */
    private Operand<TFloat32> unembed(Operand<TFloat32> x) {
        return tf.linalg.matMul(finalNorm.apply(x), unembedding);
    }

    /** 0 on and below the diagonal, −1e9 above it, so token i sees tokens 0..i only: (1, 1, S, S). */
    private Operand<TFloat32> causalMask() {
        var length = tf.slice(tf.shape(tokens), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
        var square = tf.concat(List.of(length, length), tf.constant(0));
        var ones = tf.fill(square, tf.constant(1f));
        var lowerTriangle = tf.linalg.bandPart(ones, tf.constant(-1), tf.constant(0));
        var bias = tf.math.mul(tf.math.sub(lowerTriangle, tf.constant(1f)), tf.constant(1e9f));
        return tf.expandDims(tf.expandDims(bias, tf.constant(0)), tf.constant(0));
    }
}
