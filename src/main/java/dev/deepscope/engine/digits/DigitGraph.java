package dev.deepscope.engine.digits;

import static dev.deepscope.engine.digits.DigitArchitecture.DIGITS;
import static dev.deepscope.engine.digits.DigitArchitecture.PIXELS;

import dev.deepscope.engine.Dropout;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds a digit classifier into a graph. Every layer's activation is kept as a named output so the
 * page can show it; every weight matrix is kept so a neuron's incoming weights can be drawn.
 */
final class DigitGraph {

    /**
     * A layer's output per example, e.g. [16] for a hidden MLP layer or [14, 14, 16] after conv1; its
     * pre-activation z (same shape; null for the input) and, for a hidden layer, the switch that can turn
     * its units off or pin them (null for the input and the output).
     */
    record LayerOutput(String name, long[] shape, Operand<TFloat32> activation, Operand<TFloat32> preActivation,
                       UnitSwitch unitSwitch) {
    }

    /**
     * An intervention on a hidden layer: a' = a ⊙ keep + set, with keep (1, …, units) all ones and set all zeros
     * unless fed, so the ordinary path computes a' = a exactly. keep_i = 0, set_i = c pins unit i at c (c = 0
     * switches it off); for a convolution a unit is a channel, the whole feature map.
     */
    record UnitSwitch(PlaceholderWithDefault<TFloat32> keep, PlaceholderWithDefault<TFloat32> set, long[] shape,
                      int units) {
    }

    /** The weights into each neuron of a layer: kernel (…, neurons) and bias (neurons). */
    record LayerParameters(String name, long[] neuronShape, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
    }

    final Placeholder<TFloat32> pixels;          // (N, 784) in 0..1
    final Operand<TFloat32> logits;              // (N, 10)
    final Operand<TFloat32> probabilities;       // (N, 10) = softmax(logits)
    final List<LayerOutput> layers = new ArrayList<>();
    final List<LayerParameters> parameters = new ArrayList<>();
    long parameterCount;

    private final Ops tf;
    private final Random init;
    /** Training only, and only in the CNN, before its two dense layers; {@link Dropout#NONE} when served. */
    final Dropout dropout;

    /** {@code dropout}: whether the graph gets dropout sites (a training graph); the rate is fed per step. */
    DigitGraph(Graph graph, DigitArchitecture architecture, long seed, boolean dropout) {
        this.tf = Ops.create(graph);
        this.init = new Random(seed);
        this.dropout = dropout && architecture.family() == DigitArchitecture.Family.CNN
                ? Dropout.training(tf, seed) : Dropout.NONE;
        pixels = tf.withName("pixels").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, PIXELS)));
        // fetched through identity: TensorFlow will not fetch a tensor that is also fed
        layers.add(new LayerOutput("input", new long[] {28, 28}, tf.identity(pixels), null, null));
        Operand<TFloat32> a = architecture.family() == DigitArchitecture.Family.MLP
                ? mlp(architecture.activation())
                : cnn();
        logits = dense("output", a, DIGITS);
        probabilities = tf.withName("probabilities").nn.softmax(logits);
        layers.add(new LayerOutput("output", new long[] {DIGITS}, probabilities, logits, null));
    }

    /** a⁽ˡ⁺¹⁾ = σ(W a⁽ˡ⁾ + b), twice, with 16 neurons each. */
    private Operand<TFloat32> mlp(Activation activation) {
        Operand<TFloat32> a = pixels;                                      // (N, 784)
        for (int l = 0; l < DigitArchitecture.MLP_HIDDEN.length; l++) {
            String name = "hidden" + (l + 1);
            int width = DigitArchitecture.MLP_HIDDEN[l];
            Operand<TFloat32> z = dense(name, a, width);                   // (N, 16)
            a = hidden(name, new long[] {width}, activation == Activation.SIGMOID ? tf.math.sigmoid(z) : tf.nn.relu(z), z);
        }
        return a;
    }

    /**
     * conv 5×5×16 → ReLU → max-pool 2 → conv 5×5×32 → ReLU → max-pool 2 → dense 128 → ReLU; when training,
     * dropout on the inputs of both dense layers (the layers shown keep their undropped values).
     */
    private Operand<TFloat32> cnn() {
        Operand<TFloat32> image = tf.reshape(pixels, tf.constant(new int[] {-1, 28, 28, 1}));  // (N, 28, 28, 1)
        Operand<TFloat32> c1 = convolution("conv1", image, 1, 16, new long[] {14, 14, 16});     // (N, 14, 14, 16)
        Operand<TFloat32> c2 = convolution("conv2", c1, 16, 32, new long[] {7, 7, 32});         // (N, 7, 7, 32)
        Operand<TFloat32> flat = tf.reshape(c2, tf.constant(new int[] {-1, 7 * 7 * 32}));      // (N, 1568)
        Operand<TFloat32> z = dense("dense", dropout.apply(flat), 128);                       // (N, 128)
        return dropout.apply(hidden("dense", new long[] {128}, tf.nn.relu(z), z));
    }

    /** Keeps a hidden layer's activation a and pre-activation z; returns a' = a ⊙ keep + set (see UnitSwitch). */
    private Operand<TFloat32> hidden(String name, long[] shape, Operand<TFloat32> a, Operand<TFloat32> z) {
        int units = (int) shape[shape.length - 1];
        long[] switchShape = new long[shape.length + 1];                  // (1, units) or (1, 1, 1, channels)
        Arrays.fill(switchShape, 1);
        switchShape[shape.length] = units;
        var keep = tf.withName(name + "_keep").placeholderWithDefault(filled(switchShape, 1f), Shape.of(switchShape));
        var set = tf.withName(name + "_set").placeholderWithDefault(filled(switchShape, 0f), Shape.of(switchShape));
        Operand<TFloat32> switched = tf.math.add(tf.math.mul(a, keep), set);
        layers.add(new LayerOutput(name, shape, switched, z, new UnitSwitch(keep, set, switchShape, units)));
        return switched;
    }

    private Operand<TFloat32> filled(long[] shape, float value) {
        float[] values = new float[(int) Shape.of(shape).size()];
        Arrays.fill(values, value);
        return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    /** z = a·W + b with W (in, out) initialised N(0, 2/in) (He), b = 0. */
    private Operand<TFloat32> dense(String name, Operand<TFloat32> a, int out) {
        int in = (int) a.shape().get(1);
        Operand<TFloat32> w = variable(name, "w", new long[] {in, out}, Math.sqrt(2.0 / in));
        Operand<TFloat32> b = variable(name, "b", new long[] {out}, 0);
        parameters.add(new LayerParameters(name, in == PIXELS ? new long[] {28, 28} : new long[] {in}, w, b));
        return tf.nn.biasAdd(tf.linalg.matMul(a, w), b);
    }

    /**
     * ReLU(conv(x, K) + b) then 2×2 max-pool, SAME padding, 5×5 kernels. The z kept for the page is max-pooled
     * too: ReLU and max-pool commute (both monotone), so a = ReLU(z) holds cell by cell of the pooled map.
     */
    private Operand<TFloat32> convolution(String name, Operand<TFloat32> x, int in, int out, long[] shape) {
        Operand<TFloat32> k = variable(name, "w", new long[] {5, 5, in, out}, Math.sqrt(2.0 / (25 * in)));
        Operand<TFloat32> b = variable(name, "b", new long[] {out}, 0);
        parameters.add(new LayerParameters(name, new long[] {5, 5, in}, k, b));
        Operand<TFloat32> z = tf.nn.biasAdd(tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME"), b);
        Operand<TFloat32> a = tf.nn.maxPool(tf.nn.relu(z), pool(), pool(), "SAME");
        return hidden(name, shape, a, tf.nn.maxPool(z, pool(), pool(), "SAME"));
    }

    private Operand<TInt32> pool() {
        return tf.constant(new int[] {1, 2, 2, 1});
    }

    /** A variable with a stable checkpoint name (layer_w, layer_b), read through identity (see TFJAVA.md). */
    private Operand<TFloat32> variable(String layer, String kind, long[] shape, double std) {
        int size = 1;
        for (long d : shape) {
            size *= (int) d;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (init.nextGaussian() * std);
        }
        parameterCount += size;
        var initial = tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
        return tf.identity(tf.withName(layer + "_" + kind).variable(initial));
    }

    Ops tf() {
        return tf;
    }
}
