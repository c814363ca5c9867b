package dev.deepscope.engine.clip;

import dev.deepscope.engine.diffusion.Layers;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tiny CLIP: a one-block transformer over word tokens and a small convolutional image encoder,
 * each ending in a unit vector in the same 64-dimensional space, so image·text is a cosine similarity.
 */
final class ClipGraph {

    static final int WIDTH = 64;

    final Placeholder<TInt32> tokens;            // (N, 12) token ids, <pad> = 0
    final Placeholder<TFloat32> pixels;          // (N, 784) in 0..1
    final Operand<TFloat32> tokenStates;         // (N, 12, 64) the text transformer's output per token
    final Operand<TFloat32> tokenMask;           // (N, 12) 1 for a real token, 0 for <pad>
    final Operand<TFloat32> textEmbedding;       // (N, 64) unit vectors
    final Operand<TFloat32> imageEmbedding;      // (N, 64) unit vectors
    final Operand<TFloat32> logitScale;          // scalar, log of the similarity temperature's inverse
    final Layers layers;

    ClipGraph(Graph graph, long seed) {
        layers = new Layers(graph, seed);
        Ops tf = layers.tf();
        tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, Vocabulary.CONTEXT)));
        pixels = tf.withName("pixels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28 * 28)));

        // text: token embedding + position embedding → one pre-norm transformer block → layer norm
        Operand<TFloat32> table = layers.variable("text_tokens", new long[] {Vocabulary.size(), WIDTH}, 0.3, 0);
        Operand<TFloat32> positions = layers.variable("text_positions", new long[] {Vocabulary.CONTEXT, WIDTH}, 0.1, 0);
        Operand<TFloat32> x = tf.math.add(tf.gather(table, tokens, tf.constant(0)), positions);   // (N, 12, 64)
        tokenMask = tf.dtypes.cast(tf.math.notEqual(tokens, tf.constant(Vocabulary.PAD)), TFloat32.class);
        // −1e9 on <pad> keys: no token attends to padding
        Operand<TFloat32> maskBias = tf.expandDims(tf.math.mul(tf.math.sub(tokenMask, tf.constant(1f)),
                tf.constant(1e9f)), tf.constant(1));                                          // (N, 1, 12)
        Operand<TFloat32> h = layers.layerNorm("text_ln1", x);
        x = tf.math.add(x, layers.attention("text_attn", h, h, maskBias, WIDTH));
        Operand<TFloat32> m = layers.silu(layers.dense("text_mlp1", layers.layerNorm("text_ln2", x), 2 * WIDTH));
        x = tf.math.add(x, layers.dense("text_mlp2", m, WIDTH));
        tokenStates = layers.layerNorm("text_ln3", x);
        // pooled = mean of the real tokens' states, projected and normalised
        Operand<TFloat32> masked = tf.math.mul(tokenStates, tf.expandDims(tokenMask, tf.constant(-1)));
        Operand<TFloat32> pooled = tf.math.div(tf.sum(masked, tf.constant(1)),
                tf.sum(tokenMask, tf.constant(1), Sum.keepDims(true)));                  // (N, 64)
        textEmbedding = layers.l2Normalise(layers.dense("text_proj", pooled, WIDTH));

        // image: conv 3×3/2 → 32 → conv 3×3/2 → 64 → dense 128 → dense 64
        Operand<TFloat32> image = tf.reshape(pixels, tf.constant(new int[] {-1, 28, 28, 1}));
        Operand<TFloat32> c1 = tf.nn.relu(layers.conv("image_conv1", image, 32, 3, 2));          // (N, 14, 14, 32)
        Operand<TFloat32> c2 = tf.nn.relu(layers.conv("image_conv2", c1, 64, 3, 2));             // (N, 7, 7, 64)
        Operand<TFloat32> d = tf.nn.relu(layers.dense("image_dense", layers.flatten(c2), 128));
        imageEmbedding = layers.l2Normalise(layers.dense("image_proj", d, WIDTH));

        // CLIP's learned temperature, starting at 1/0.07
        logitScale = layers.variable("logit_scale", new long[] {}, 0, (float) Math.log(1 / 0.07));
    }

    /** Similarity logits s·(image_i · text_j), s = e^logitScale, for a batch of matching pairs: (N, N). */
    Operand<TFloat32> pairLogits() {
        Ops tf = layers.tf();
        return tf.math.mul(tf.linalg.matMul(imageEmbedding, textEmbedding,
                        org.tensorflow.op.linalg.MatMul.transposeB(true)),
                tf.math.exp(logitScale));
    }

    List<Operand<TFloat32>> variables() {
        return layers.variables();
    }
}
