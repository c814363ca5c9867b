package dev.deepscope.engine.learning;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat64;

/**
 * Backpropagation laid open for one digit: every layer's z, a, ∂C/∂a, σ'(z) and the autodiff gradients
 * ∂C/∂W, ∂C/∂b, for any θ fed in. It computes in float64 so that a central finite difference of C is
 * precise enough to check autodiff against. One probe per shape; running it is thread-safe.
 */
public final class GradientProbe implements AutoCloseable {

    /** One layer l ≥ 1 for one example; dCdW is stored (in, out) like the weights. */
    public record Layer(double[] z, double[] a, double[] dCda, double[] dadz, double[] dCdW, double[] dCdb) {
    }

    /** C for the example, the input a⁽⁰⁾, and each layer after it. */
    public record Backprop(double cost, double[] input, List<Layer> layers) {
    }

    private final MlpShape shape;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat64> pixels;  // (N, 784)
    private final Placeholder<TFloat64> wanted;  // (N, outputs) one-hot y
    private final List<Placeholder<TFloat64>> weights = new ArrayList<>();
    private final List<Placeholder<TFloat64>> biases = new ArrayList<>();
    private final Operand<TFloat64> cost;
    private final List<Operand<TFloat64>> fetches = new ArrayList<>(); // per layer: z, a, ∂C/∂a, σ'(z), ∂C/∂W, ∂C/∂b

    /**
     * Grappler's remapper fuses ops into oneDNN kernels, which have no float64 versions: it would only log
     * "Not handling type DT_DOUBLE" for every op of every new probe, so it is off here.
     */
    private static final ConfigProto FLOAT64_CONFIG = Devices.SESSION_CONFIG.toBuilder()
            .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
                    RewriterConfig.newBuilder().setRemapping(RewriterConfig.Toggle.OFF)))
            .build();

    public GradientProbe(MlpShape shape) {
        this.shape = shape;
        this.graph = Devices.newGraph();
        Ops tf = Ops.create(graph);
        int[] widths = shape.widths();
        pixels = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, widths[0])));
        wanted = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, widths[widths.length - 1])));
        for (int l = 0; l < shape.depth(); l++) {
            weights.add(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(widths[l], widths[l + 1]))));
            biases.add(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(widths[l + 1]))));
        }
        List<Operand<TFloat64>> w = new ArrayList<>(weights);
        List<Operand<TFloat64>> b = new ArrayList<>(biases);
        // a placeholder cannot be both fed and differentiated against: go through identity
        List<Operand<TFloat64>> wRead = w.stream().map(v -> (Operand<TFloat64>) tf.identity(v)).toList();
        List<Operand<TFloat64>> bRead = b.stream().map(v -> (Operand<TFloat64>) tf.identity(v)).toList();
        var forward = MlpLayers.forward(tf, tf.identity(pixels), wRead, bRead, shape.activation());
        cost = MlpLayers.quadraticCost(tf, forward.output(), wanted);

        List<Output<?>> wrt = new ArrayList<>();
        forward.a().subList(1, forward.a().size()).forEach(a -> wrt.add(a.asOutput()));
        wRead.forEach(v -> wrt.add(v.asOutput()));
        bRead.forEach(v -> wrt.add(v.asOutput()));
        Output<?>[] g = graph.addGradients(cost.asOutput(), wrt.toArray(Output[]::new));
        int depth = shape.depth();
        for (int l = 0; l < depth; l++) {
            Operand<TFloat64> z = forward.z().get(l);
            Operand<TFloat64> a = forward.a().get(l + 1);
            Activation activation = l == depth - 1 ? Activation.SIGMOID : shape.activation();
            fetches.add(z);
            fetches.add(a);
            fetches.add(typed(g[l]));                    // ∂C/∂a⁽ˡ⁾ by backpropagation
            fetches.add(derivative(tf, z, a, activation)); // σ'(z⁽ˡ⁾) by its formula
            fetches.add(typed(g[depth + l]));            // ∂C/∂W⁽ˡ⁾
            fetches.add(typed(g[2 * depth + l]));        // ∂C/∂b⁽ˡ⁾
        }
        session = new Session(graph, FLOAT64_CONFIG);
    }

    /** σ'(z) = σ(z)(1 − σ(z)) = a(1 − a) for sigmoid; ReLU'(z) = 1 if z > 0, else 0. */
    private static Operand<TFloat64> derivative(Ops tf, Operand<TFloat64> z, Operand<TFloat64> a, Activation activation) {
        if (activation == Activation.SIGMOID) {
            return tf.math.mul(a, tf.math.sub(tf.constant(1.0), a));
        }
        return tf.dtypes.cast(tf.math.greater(z, tf.constant(0.0)), TFloat64.class);
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat64> typed(Output<?> output) {
        return (Output<TFloat64>) output;
    }

    public MlpShape shape() {
        return shape;
    }

    /** Everything backpropagation computes for one digit with this label. */
    public Backprop backprop(MlpParameters theta, float[] image, int label) {
        List<TFloat64> inputs = new ArrayList<>();
        try {
            var runner = feed(session.runner(), theta, null, new LabelledImages(image, new int[] {label}), inputs);
            runner.fetch(cost);
            fetches.forEach(runner::fetch);
            try (Result result = runner.run()) {
                List<Layer> layers = new ArrayList<>();
                for (int l = 0; l < shape.depth(); l++) {
                    double[][] v = new double[6][];
                    for (int k = 0; k < 6; k++) {
                        v[k] = array((TFloat64) result.get(1 + 6 * l + k));
                    }
                    layers.add(new Layer(v[0], v[1], v[2], v[3], v[4], v[5]));
                }
                double[] input = new double[image.length];
                for (int i = 0; i < image.length; i++) {
                    input[i] = image[i];
                }
                return new Backprop(((TFloat64) result.get(0)).getDouble(), input, layers);
            }
        } finally {
            inputs.forEach(TFloat64::close);
        }
    }

    /** The output layer's activations a⁽ᴸ⁾ for one image (the forward pass alone; the label fed is unused). */
    public double[] outputs(MlpParameters theta, float[] image) {
        List<TFloat64> inputs = new ArrayList<>();
        try {
            var runner = feed(session.runner(), theta, null, new LabelledImages(image, new int[] {0}), inputs);
            runner.fetch(fetches.get(6 * (shape.depth() - 1) + 1));
            try (Result result = runner.run()) {
                return array((TFloat64) result.get(0));
            }
        } finally {
            inputs.forEach(TFloat64::close);
        }
    }

    /**
     * C for these digits with one weight moved: w_jk of weight matrix {@code layer} becomes w_jk + nudge
     * (computed in float64, so a central difference (C(w+h) − C(w−h)) / 2h is meaningful).
     */
    public double cost(MlpParameters theta, Nudge nudge, LabelledImages digits) {
        List<TFloat64> inputs = new ArrayList<>();
        try (Result result = feed(session.runner(), theta, nudge, digits, inputs).fetch(cost).run()) {
            return ((TFloat64) result.get(0)).getDouble();
        } finally {
            inputs.forEach(TFloat64::close);
        }
    }

    /** Move weight w_jk of weight matrix {@code layer} (0-based) by {@code amount}. */
    public record Nudge(int layer, int j, int k, double amount) {
    }

    private Session.Runner feed(Session.Runner runner, MlpParameters theta, Nudge nudge, LabelledImages digits,
                                List<TFloat64> inputs) {
        int[] widths = shape.widths();
        runner.feed(pixels, track(inputs, tensor(toDouble(digits.pixels()), digits.size(), widths[0])));
        runner.feed(wanted, track(inputs, tensor(toDouble(digits.oneHot(shape.outputs())), digits.size(), shape.outputs())));
        for (int l = 0; l < shape.depth(); l++) {
            double[] w = toDouble(theta.weights()[l]);
            if (nudge != null && nudge.layer() == l) {
                w[nudge.k() * widths[l + 1] + nudge.j()] += nudge.amount();
            }
            runner.feed(weights.get(l), track(inputs, tensor(w, widths[l], widths[l + 1])));
            runner.feed(biases.get(l), track(inputs, tensor(toDouble(theta.biases()[l]), widths[l + 1])));
        }
        return runner;
    }

    private static TFloat64 track(List<TFloat64> inputs, TFloat64 tensor) {
        inputs.add(tensor);
        return tensor;
    }

    private static TFloat64 tensor(double[] values, long... shape) {
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static double[] array(TFloat64 tensor) {
        double[] values = new double[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
