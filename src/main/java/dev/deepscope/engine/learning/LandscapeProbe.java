package dev.deepscope.engine.learning;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The cost on a plane through weight space: C(θ + αδ + βη) for many (α, β) in one call, where θ is the
 * network's weights and δ, η two directions. The first layer is linear in (α, β), so
 * z⁽¹⁾ = x·W + α·(x·δ) + β·(x·η) + b is computed from three products instead of one per grid point;
 * later layers get their own weights per point (batched matmul over the points).
 */
public final class LandscapeProbe implements AutoCloseable {

    private static final int THETA = 0;
    private static final int DELTA = 1;
    private static final int ETA = 2;

    private final MlpShape shape;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> pixels;   // (N, 784)
    private final Placeholder<TFloat32> wanted;   // (N, outputs)
    private final Placeholder<TFloat32> alpha;    // (G)
    private final Placeholder<TFloat32> beta;     // (G)
    private final List<Placeholder<TFloat32>[]> weights = new ArrayList<>(); // per layer: θ, δ, η
    private final List<Placeholder<TFloat32>[]> biases = new ArrayList<>();
    private final Operand<TFloat32> costs;        // (G)

    @SuppressWarnings("unchecked")
    public LandscapeProbe(MlpShape shape) {
        this.shape = shape;
        this.graph = Devices.newGraph();
        Ops tf = Ops.create(graph);
        int[] widths = shape.widths();
        pixels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, widths[0])));
        wanted = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, shape.outputs())));
        alpha = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        beta = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        for (int l = 0; l < shape.depth(); l++) {
            Placeholder<TFloat32>[] w = new Placeholder[3];
            Placeholder<TFloat32>[] b = new Placeholder[3];
            for (int d = 0; d < 3; d++) {
                w[d] = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(widths[l], widths[l + 1])));
                b[d] = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(widths[l + 1])));
            }
            weights.add(w);
            biases.add(b);
        }
        Operand<TFloat32> alpha3 = tf.reshape(alpha, tf.constant(new int[] {-1, 1, 1}));  // (G, 1, 1)
        Operand<TFloat32> beta3 = tf.reshape(beta, tf.constant(new int[] {-1, 1, 1}));

        // layer 1: x·(W + αδ + βη) = x·W + α x·δ + β x·η                          (G, N, h1)
        Placeholder<TFloat32>[] w1 = weights.get(0);
        Operand<TFloat32> z = tf.math.add(tf.math.add(
                        tf.expandDims(tf.linalg.matMul(pixels, w1[THETA]), tf.constant(0)),
                        tf.math.mul(alpha3, tf.linalg.matMul(pixels, w1[DELTA]))),
                tf.math.mul(beta3, tf.linalg.matMul(pixels, w1[ETA])));
        z = tf.math.add(z, along(tf, biases.get(0), alpha, beta));
        Operand<TFloat32> a = activate(tf, z, shape.depth() == 1 ? Activation.SIGMOID : shape.activation());
        for (int l = 1; l < shape.depth(); l++) {
            Placeholder<TFloat32>[] w = weights.get(l);
            Operand<TFloat32> wg = tf.math.add(tf.math.add(tf.expandDims(w[THETA], tf.constant(0)),
                    tf.math.mul(alpha3, w[DELTA])), tf.math.mul(beta3, w[ETA]));          // (G, in, out)
            z = tf.math.add(tf.train.batchMatMul(a, wg, TFloat32.class), along(tf, biases.get(l), alpha, beta));
            a = activate(tf, z, l == shape.depth() - 1 ? Activation.SIGMOID : shape.activation());
        }
        // C per grid point: (1/N) Σᵢ Σⱼ (aⱼ − yⱼ)²                                      (G)
        costs = tf.math.mean(tf.reduceSum(tf.math.square(tf.math.sub(a, wanted)), tf.constant(2)), tf.constant(1));
        session = new Session(graph, Devices.SESSION_CONFIG);
    }

    /** b + αδ_b + βη_b per grid point, shaped (G, 1, width) to add to every example. */
    private static Operand<TFloat32> along(Ops tf, Placeholder<TFloat32>[] b, Operand<TFloat32> alpha,
                                           Operand<TFloat32> beta) {
        Operand<TFloat32> a2 = tf.reshape(alpha, tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> b2 = tf.reshape(beta, tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> perPoint = tf.math.add(tf.math.add(tf.expandDims(b[THETA], tf.constant(0)),
                tf.math.mul(a2, b[DELTA])), tf.math.mul(b2, b[ETA]));                    // (G, width)
        return tf.expandDims(perPoint, tf.constant(1));
    }

    private static Operand<TFloat32> activate(Ops tf, Operand<TFloat32> z, Activation activation) {
        return MlpLayers.activate(tf, z, activation);
    }

    public MlpShape shape() {
        return shape;
    }

    /** C(θ + αᵢδ + βᵢη) on these digits, for each i. */
    public float[] costs(MlpParameters theta, MlpParameters delta, MlpParameters eta, float[] alphas, float[] betas,
                         LabelledImages digits) {
        int[] widths = shape.widths();
        List<TFloat32> inputs = new ArrayList<>();
        try {
            var runner = session.runner();
            runner.feed(pixels, keep(inputs, tensor(digits.pixels(), digits.size(), widths[0])));
            runner.feed(wanted, keep(inputs, tensor(digits.oneHot(shape.outputs()), digits.size(), shape.outputs())));
            runner.feed(alpha, keep(inputs, tensor(alphas, alphas.length)));
            runner.feed(beta, keep(inputs, tensor(betas, betas.length)));
            MlpParameters[] points = {theta, delta, eta};
            for (int l = 0; l < shape.depth(); l++) {
                for (int d = 0; d < 3; d++) {
                    runner.feed(weights.get(l)[d], keep(inputs, tensor(points[d].weights()[l], widths[l], widths[l + 1])));
                    runner.feed(biases.get(l)[d], keep(inputs, tensor(points[d].biases()[l], widths[l + 1])));
                }
            }
            try (Result result = runner.fetch(costs).run()) {
                return FloatTensors.toArray((TFloat32) result.get(0));
            }
        } finally {
            inputs.forEach(TFloat32::close);
        }
    }

    private static TFloat32 keep(List<TFloat32> inputs, TFloat32 tensor) {
        inputs.add(tensor);
        return tensor;
    }

    private static TFloat32 tensor(float[] values, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
