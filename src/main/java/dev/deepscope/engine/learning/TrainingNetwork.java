package dev.deepscope.engine.learning;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A network being taught by plain gradient descent, with its training and validation digits held in the
 * session (variables filled once) so a step only sends the indices of its mini-batch. No optimizer object: the gradient comes from
 * {@code graph.addGradients(C, θ)} and the update θ ← θ − η ∇C is one AssignSub per variable.
 */
public final class TrainingNetwork implements AutoCloseable {

    /** C on a fixed set of training digits, and the fraction of validation digits classified right. */
    public record Evaluation(float cost, float accuracy) {
    }

    private final MlpShape shape;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt32> batch;          // (m) indices into the training digits
    private final Placeholder<TFloat32> learningRate; // η, a scalar
    private final Operand<TFloat32> cost;             // C on the batch
    private final List<Op> updates = new ArrayList<>();
    private final List<Operand<TFloat32>> reads = new ArrayList<>(); // W⁽¹⁾, b⁽¹⁾, W⁽²⁾, … read through identity
    private final Operand<TFloat32> accuracy;

    /**
     * @param threads TensorFlow threads for this network alone (its own pool, so a training run uses at most
     *                this many cores and never queues in front of classification); 0 = the shared pool.
     */
    public TrainingNetwork(MlpParameters start, LabelledImages training, LabelledImages validation, int threads) {
        this.shape = start.shape();
        this.graph = Devices.newGraph();
        Ops tf = Ops.create(graph);
        int[] widths = shape.widths();
        List<Variable<TFloat32>> variables = new ArrayList<>();
        List<Operand<TFloat32>> weights = new ArrayList<>();
        List<Operand<TFloat32>> biases = new ArrayList<>();
        Loader load = new Loader(tf);
        for (int l = 0; l < shape.depth(); l++) {
            Variable<TFloat32> w = load.variable("layer" + (l + 1) + "_w", start.weights()[l], widths[l], widths[l + 1]);
            Variable<TFloat32> b = load.variable("layer" + (l + 1) + "_b", start.biases()[l], widths[l + 1]);
            variables.add(w);
            variables.add(b);
            // read through identity: ref variables cannot feed gradient construction directly (TFJAVA.md)
            weights.add(tf.identity(w));
            biases.add(tf.identity(b));
            reads.add(weights.get(l));
            reads.add(biases.get(l));
        }
        batch = tf.withName("batch").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

        Operand<TFloat32> x = tf.gather(load.data("training_pixels", training.pixels(), training.size(), widths[0]),
                batch, tf.constant(0));                                                // (m, 784)
        Operand<TFloat32> y = tf.gather(load.data("training_labels", training.oneHot(shape.outputs()), training.size(),
                shape.outputs()), batch, tf.constant(0));                              // (m, outputs)
        cost = MlpLayers.quadraticCost(tf, MlpLayers.forward(tf, x, weights, biases, shape.activation()).output(), y);

        // ∇C: one gradient per weight matrix and bias vector
        Output<?>[] gradients = graph.addGradients(cost.asOutput(),
                reads.stream().map(Operand::asOutput).toArray(Output[]::new));
        List<Operand<TFloat32>> gradient = new ArrayList<>();
        for (Output<?> g : gradients) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> typed = tf.identity((Output<TFloat32>) g);
            gradient.add(typed);
        }
        // Every update waits for every gradient: identity aliases the variable's buffer, so no weight may
        // change while backpropagation still reads it.
        Ops afterGradients = tf.withControlDependencies(gradient.stream().map(g -> (Op) g).toList());
        for (int i = 0; i < variables.size(); i++) {
            // θ ← θ − η ∇C
            updates.add(afterGradients.assignSub(variables.get(i),
                    afterGradients.math.mul(learningRate, gradient.get(i))));
        }

        var validationOutput = MlpLayers.forward(tf,
                load.data("validation_pixels", validation.pixels(), validation.size(), widths[0]),
                weights, biases, shape.activation()).output();
        Operand<TInt64> predicted = tf.math.argMax(validationOutput, tf.constant(1));
        Operand<TInt64> labels = tf.math.argMax(
                load.data("validation_labels", validation.oneHot(shape.outputs()), validation.size(), shape.outputs()), tf.constant(1));
        accuracy = tf.math.mean(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0));

        ConfigProto config = Devices.sessionConfig(threads);
        this.session = new Session(graph, config);
        load.run(session);
    }

    /**
     * Variables filled once by feeding their values, rather than constants: a 28 MB constant in the graph
     * is copied every time TensorFlow optimises a new call signature (~0.5 s each), a variable is not.
     */
    private static final class Loader {
        private final Ops tf;
        private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
        private final List<TFloat32> values = new ArrayList<>();
        private final List<Op> assigns = new ArrayList<>();

        Loader(Ops tf) {
            this.tf = tf;
        }

        Variable<TFloat32> variable(String name, float[] data, long... dims) {
            Variable<TFloat32> v = tf.withName(name).variable(Shape.of(dims), TFloat32.class);
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
            inputs.add(input);
            values.add(TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(data, true, false)));
            assigns.add(tf.assign(v, input));
            return v;
        }

        /** Read-only data: read through identity like every variable. */
        Operand<TFloat32> data(String name, float[] data, long... dims) {
            return tf.identity(variable(name, data, dims));
        }

        void run(Session session) {
            try {
                var runner = session.runner();
                for (int i = 0; i < inputs.size(); i++) {
                    runner.feed(inputs.get(i), values.get(i));
                }
                assigns.forEach(runner::addTarget);
                runner.run().close();
            } finally {
                values.forEach(TFloat32::close);
            }
        }
    }

    public MlpShape shape() {
        return shape;
    }

    /** One step of gradient descent on the digits at these indices; returns C on them before the step. */
    public float step(int[] indices, float eta) {
        try (TInt32 b = TInt32.vectorOf(indices);
             TFloat32 lr = TFloat32.scalarOf(eta)) {
            var runner = session.runner().feed(batch, b).feed(learningRate, lr).fetch(cost);
            updates.forEach(runner::addTarget);
            try (Result result = runner.run()) {
                return FloatTensors.scalar((TFloat32) result.get(0));
            }
        }
    }

    /**
     * Runs the step's graph once with η = 0 on one digit (θ − 0·∇C = θ exactly), so TensorFlow's one-time
     * set-up of that graph is not counted as training time.
     */
    public void warmUp() {
        step(new int[] {0}, 0f);
    }

    /** C on the training digits at these indices and the validation accuracy, without changing θ. */
    public Evaluation evaluate(int[] costIndices) {
        try (TInt32 b = TInt32.vectorOf(costIndices);
             Result result = session.runner().feed(batch, b).fetch(cost).fetch(accuracy).run()) {
            return new Evaluation(FloatTensors.scalar((TFloat32) result.get(0)),
                    FloatTensors.scalar((TFloat32) result.get(1)));
        }
    }

    /** A copy of θ as it is now. */
    public MlpParameters parameters() {
        var runner = session.runner();
        reads.forEach(runner::fetch);
        try (Result result = runner.run()) {
            float[][] w = new float[shape.depth()][];
            float[][] b = new float[shape.depth()][];
            for (int l = 0; l < shape.depth(); l++) {
                w[l] = FloatTensors.toArray((TFloat32) result.get(2 * l));
                b[l] = FloatTensors.toArray((TFloat32) result.get(2 * l + 1));
            }
            return new MlpParameters(shape, w, b);
        }
    }

    static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
        return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
