package dev.deepscope.engine.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * The building blocks chapter 4's networks share (U-Nets, VAE, CLIP): seeded variables with stable
 * checkpoint names, dense and convolution layers, normalisation, SiLU and attention. Shapes are NHWC.
 */
public final class Layers {

    private final Ops tf;
    private final Random init;
    private final List<Operand<TFloat32>> variables = new ArrayList<>();
    private final List<Variable<TFloat32>> handles = new ArrayList<>();
    private long parameterCount;
    private long flopsPerExample;

    public Layers(Graph graph, long seed) {
        this.tf = Ops.create(graph);
        this.init = new Random(seed);
    }

    public Ops tf() {
        return tf;
    }

    public long parameterCount() {
        return parameterCount;
    }

    /** Multiply-adds ×2 of the dense, convolution and attention products built so far, for one example. */
    public long flopsPerExample() {
        return flopsPerExample;
    }

    /** Every trainable value, read through identity (see TFJAVA.md). */
    public List<Operand<TFloat32>> variables() {
        return List.copyOf(variables);
    }

    /** The variables themselves, in the order of {@link #variables()}, for assigning to them. */
    public List<Variable<TFloat32>> handles() {
        return List.copyOf(handles);
    }

    /** A variable named {@code name} (no '/'), initialised N(0, std²), or to {@code fill} when std = 0. */
    public Operand<TFloat32> variable(String name, long[] shape, double std, float fill) {
        int size = 1;
        for (long d : shape) {
            size *= (int) d;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = std == 0 ? fill : (float) (init.nextGaussian() * std);
        }
        parameterCount += size;
        var initial = tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
        Variable<TFloat32> handle = tf.withName(name).variable(initial);
        Operand<TFloat32> v = tf.identity(handle);
        handles.add(handle);
        variables.add(v);
        return v;
    }

    /** y = x·W + b over the last axis, any leading axes; W ~ N(0, 1/in) (LeCun), b = 0. */
    public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int out) {
        int in = (int) x.shape().get(x.shape().numDimensions() - 1);
        Operand<TFloat32> w = variable(name + "_w", new long[] {in, out}, Math.sqrt(1.0 / in), 0);
        Operand<TFloat32> b = variable(name + "_b", new long[] {out}, 0, 0);
        long rows = 1;
        for (int i = 1; i < x.shape().numDimensions() - 1; i++) {
            rows *= x.shape().get(i);
        }
        flopsPerExample += 2 * rows * in * out;
        Operand<TFloat32> y = x.shape().numDimensions() == 2
                ? tf.linalg.matMul(x, w)
                : tf.train.batchMatMul(x, w, TFloat32.class);
        return tf.math.add(y, b);
    }

    /** A k×k convolution with SAME padding and the given stride; K ~ N(0, 1/(k²·in)). */
    public Operand<TFloat32> conv(String name, Operand<TFloat32> x, int out, int k, int stride) {
        int in = (int) x.shape().get(3);
        Operand<TFloat32> kernel = variable(name + "_w", new long[] {k, k, in, out}, Math.sqrt(1.0 / (k * k * in)), 0);
        Operand<TFloat32> b = variable(name + "_b", new long[] {out}, 0, 0);
        long side = (x.shape().get(1) + stride - 1) / stride;   // SAME padding: ⌈H / stride⌉
        flopsPerExample += 2 * side * side * (long) k * k * in * out;
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME"), b);
    }

    /** SiLU(x) = x·σ(x), the smooth ReLU diffusion U-Nets use. */
    public Operand<TFloat32> silu(Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    /**
     * Group normalisation of (N, H, W, C): within each of G channel groups, (x − μ)/√(σ² + 1e-5),
     * then a learned per-channel scale γ and shift β. Independent of the batch, so sampling one image
     * behaves like training on many.
     */
    public Operand<TFloat32> groupNorm(String name, Operand<TFloat32> x, int groups) {
        int h = (int) x.shape().get(1);
        int w = (int) x.shape().get(2);
        int c = (int) x.shape().get(3);
        Operand<TFloat32> g = tf.reshape(x, tf.constant(new int[] {-1, h, w, groups, c / groups}));
        Operand<TFloat32> normal = normalise(g, new int[] {1, 2, 4});
        Operand<TFloat32> back = tf.reshape(normal, tf.constant(new int[] {-1, h, w, c}));
        return tf.math.add(tf.math.mul(back, variable(name + "_gamma", new long[] {c}, 0, 1)),
                variable(name + "_beta", new long[] {c}, 0, 0));
    }

    /** Layer normalisation over the last axis, with learned scale and shift. */
    public Operand<TFloat32> layerNorm(String name, Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        int c = (int) x.shape().get(rank - 1);
        Operand<TFloat32> normal = normalise(x, new int[] {rank - 1});
        return tf.math.add(tf.math.mul(normal, variable(name + "_gamma", new long[] {c}, 0, 1)),
                variable(name + "_beta", new long[] {c}, 0, 0));
    }

    private Operand<TFloat32> normalise(Operand<TFloat32> x, int[] axes) {
        Operand<TFloat32> mean = tf.math.mean(x, tf.constant(axes), Mean.keepDims(true));
        Operand<TFloat32> centred = tf.math.sub(x, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(axes), Mean.keepDims(true));
        return tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))));
    }

    /**
     * Single-head attention: softmax(Q·Kᵀ/√d + mask)·V with Q = queries·W_q, K = keys·W_k, V = keys·W_v,
     * projected back by W_o. queries (N, Lq, Cq), keys (N, Lk, Ck), maskBias (N, 1, Lk) or (N, Lq, Lk)
     * with 0 where attending is allowed and −1e9 where it is not. Returns (N, Lq, Cq). The softmax weights
     * (N, Lq, Lk) are the graph operation {@code <name>_weights}, so a caller can fetch them by name.
     */
    public Operand<TFloat32> attention(String name, Operand<TFloat32> queries, Operand<TFloat32> keys,
                                       Operand<TFloat32> maskBias, int d) {
        int cq = (int) queries.shape().get(2);
        flopsPerExample += 2 * 2 * queries.shape().get(1) * keys.shape().get(1) * d;  // Q·Kᵀ and weights·V
        Operand<TFloat32> q = dense(name + "_q", queries, d);                                  // (N, Lq, d)
        Operand<TFloat32> k = dense(name + "_k", keys, d);                                     // (N, Lk, d)
        Operand<TFloat32> v = dense(name + "_v", keys, d);                                     // (N, Lk, d)
        Operand<TFloat32> scores = tf.math.mul(
                tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
                tf.constant((float) (1 / Math.sqrt(d))));                                      // (N, Lq, Lk)
        Operand<TFloat32> weights = tf.withName(name + "_weights").nn.softmax(tf.math.add(scores, maskBias));
        Operand<TFloat32> mixed = tf.train.batchMatMul(weights, v, TFloat32.class);            // (N, Lq, d)
        return dense(name + "_o", mixed, cq);
    }

    /** Upsamples (N, H, W, C) to (N, h, w, C) by repeating the nearest pixel. */
    public Operand<TFloat32> upsample(Operand<TFloat32> x, int h, int w) {
        return tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {h, w}));
    }

    public Operand<TFloat32> flatten(Operand<TFloat32> x) {
        long size = 1;
        for (int i = 1; i < x.shape().numDimensions(); i++) {
            size *= x.shape().get(i);
        }
        return tf.reshape(x, tf.constant(new int[] {-1, (int) size}));
    }

    /** x / ‖x‖ along the last axis: unit vectors, so a dot product is a cosine similarity. */
    public Operand<TFloat32> l2Normalise(Operand<TFloat32> x) {
        Operand<TFloat32> sq = tf.sum(tf.math.square(x), tf.constant(-1),
                org.tensorflow.op.core.Sum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.add(sq, tf.constant(1e-8f))));
    }
}
