package dev.deepscope.engine.diffusion;

import static dev.deepscope.engine.diffusion.UNetArchitecture.CONDITION_LENGTH;
import static dev.deepscope.engine.diffusion.UNetArchitecture.CONDITION_WIDTH;
import static dev.deepscope.engine.diffusion.UNetArchitecture.TIME_WIDTH;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * ε_θ(x_t, t, c): a U-Net that predicts the noise in x_t. Encoder levels (residual block, optional
 * cross-attention, stride-2 convolution down) → a bottleneck → decoder levels that upsample and
 * concatenate the encoder's output of the same size (the skip connections). Every residual block adds
 * the embedding of t; cross-attention lets each pixel (query) look at the condition tokens (keys, values).
 */
final class UNetGraph {

    final Placeholder<TFloat32> noisy;           // (N, size) x_t, flattened channels-last
    final Placeholder<TFloat32> time;            // (N) the step t, 0..T−1
    final Placeholder<TFloat32> condition;       // (N, 13, 64) condition tokens from CLIP's text side
    final Placeholder<TFloat32> conditionMask;   // (N, 13) 1 = a real token, 0 = padding
    final Operand<TFloat32> noise;               // (N, size) ε_θ
    final Layers layers;
    /** The activations a page may look at, as named graph operations: each level's output, then each cross-attention's weights. */
    final List<Tap> features = new ArrayList<>();
    final List<Tap> attentions = new ArrayList<>();

    /**
     * A named operation of the graph to fetch: {@code level} (down0, mid, up1, …), {@code part} (encoder,
     * bottleneck, decoder), its side and its width (channels, or condition tokens for attention weights).
     */
    record Tap(String operation, String level, String part, int side, int width) {
    }

    private final Ops tf;
    private Operand<TFloat32> timeEmbedding;     // (N, 128)
    private Operand<TFloat32> maskBias;          // (N, 1, 13)

    UNetGraph(Graph graph, UNetArchitecture architecture, long seed) {
        layers = new Layers(graph, seed);
        tf = layers.tf();
        int side = architecture.side();
        noisy = tf.withName("noisy").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, architecture.size())));
        time = tf.withName("time").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        condition = tf.withName("condition").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, CONDITION_LENGTH, CONDITION_WIDTH)));
        conditionMask = tf.withName("condition_mask").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, CONDITION_LENGTH)));
        maskBias = tf.expandDims(tf.math.mul(tf.math.sub(conditionMask, tf.constant(1f)), tf.constant(1e9f)),
                tf.constant(1));
        timeEmbedding = timeEmbedding();

        int[] widths = architecture.widths();
        int last = widths.length - 1;
        Operand<TFloat32> h = tf.reshape(noisy, tf.constant(new int[] {-1, side, side, architecture.channels()}));
        h = layers.conv("in", h, widths[0], 3, 1);
        List<Operand<TFloat32>> skips = new ArrayList<>();
        for (int level = 0; level <= last; level++) {
            h = residualBlock("down" + level, h, widths[level]);
            if (architecture.attention()[level]) {
                h = crossAttention("down" + level + "_attn", h, "down" + level, "encoder");
            }
            h = feature("down" + level, "encoder", h);
            skips.add(h);
            if (level < last) {
                h = layers.conv("down" + level + "_pool", h, widths[level + 1], 3, 2);
            }
        }
        h = residualBlock("mid", h, widths[last]);                                        // bottleneck
        h = crossAttention("mid_attn", h, "mid", "bottleneck");
        h = feature("mid", "bottleneck", h);
        for (int level = last; level >= 0; level--) {
            if (level < last) {
                int s = architecture.sideAt(level);
                h = layers.upsample(h, s, s);
            }
            h = tf.concat(List.of(h, skips.get(level)), tf.constant(3));                  // skip connection
            h = residualBlock("up" + level, h, widths[level]);
            if (architecture.attention()[level]) {
                h = crossAttention("up" + level + "_attn", h, "up" + level, "decoder");
            }
            h = feature("up" + level, "decoder", h);
        }
        h = layers.silu(layers.groupNorm("out_norm", h, groups(widths[0])));
        h = layers.conv("out", h, architecture.channels(), 3, 1);
        noise = tf.reshape(h, tf.constant(new int[] {-1, architecture.size()}));
    }

    /**
     * Sinusoidal embedding of t (as in "Attention is all you need"): [sin(t·f_k), cos(t·f_k)] with
     * f_k = 10000^(−k/32), k = 0..31, then a two-layer MLP with SiLU.
     */
    private Operand<TFloat32> timeEmbedding() {
        int half = 32;
        float[] frequencies = new float[half];
        for (int k = 0; k < half; k++) {
            frequencies[k] = (float) Math.exp(-Math.log(10000) * k / half);
        }
        Operand<TFloat32> angles = tf.math.mul(tf.expandDims(time, tf.constant(1)), tf.constant(frequencies)); // (N, 32)
        Operand<TFloat32> sinusoid = tf.concat(List.of(tf.math.sin(angles), tf.math.cos(angles)), tf.constant(1));
        Operand<TFloat32> e = layers.silu(layers.dense("time1", sinusoid, TIME_WIDTH));
        return layers.dense("time2", e, TIME_WIDTH);
    }

    /**
     * h = conv(SiLU(GN(x))) + W·temb; h = conv(SiLU(GN(h))); out = h + x (through a 1×1 conv when the
     * width changes).
     */
    private Operand<TFloat32> residualBlock(String name, Operand<TFloat32> x, int width) {
        int in = (int) x.shape().get(3);
        Operand<TFloat32> h = layers.conv(name + "_conv1", layers.silu(layers.groupNorm(name + "_norm1", x, groups(in))),
                width, 3, 1);
        Operand<TFloat32> t = layers.dense(name + "_time", layers.silu(timeEmbedding), width);    // (N, width)
        h = tf.math.add(h, tf.reshape(t, tf.constant(new int[] {-1, 1, 1, width})));
        h = layers.conv(name + "_conv2", layers.silu(layers.groupNorm(name + "_norm2", h, groups(width))), width, 3, 1);
        Operand<TFloat32> shortcut = in == width ? x : layers.conv(name + "_skip", x, width, 1, 1);
        return tf.math.add(h, shortcut);
    }

    /** h itself, through an identity named {@code features_<level>} so its value can be fetched by name. */
    private Operand<TFloat32> feature(String level, String part, Operand<TFloat32> h) {
        String operation = "features_" + level;
        features.add(new Tap(operation, level, part, (int) h.shape().get(1), (int) h.shape().get(3)));
        return tf.withName(operation).identity(h);
    }

    /**
     * x + Attention(queries = GN(x) per pixel, keys = values = condition tokens), padding masked; its weights
     * (N, s², 13) are the operation {@code <name>_weights}.
     */
    private Operand<TFloat32> crossAttention(String name, Operand<TFloat32> x, String level, String part) {
        int s = (int) x.shape().get(1);
        int c = (int) x.shape().get(3);
        Operand<TFloat32> q = tf.reshape(layers.groupNorm(name + "_norm", x, groups(c)),
                tf.constant(new int[] {-1, s * s, c}));                                        // (N, s², c)
        Operand<TFloat32> attended = layers.attention(name, q, condition, maskBias, c);
        attentions.add(new Tap(name + "_weights", level, part, s, CONDITION_LENGTH));
        return tf.math.add(x, tf.reshape(attended, tf.constant(new int[] {-1, s, s, c})));
    }

    private static int groups(int width) {
        return Math.min(8, width / 4);
    }

    /** L = mean over the batch and every number of (ε − ε_θ(x_t, t, c))², the simple DDPM loss. */
    Operand<TFloat32> loss(Operand<TFloat32> target) {
        return tf.math.mean(tf.math.squaredDifference(target, noise), tf.constant(new int[] {0, 1}));
    }
}
