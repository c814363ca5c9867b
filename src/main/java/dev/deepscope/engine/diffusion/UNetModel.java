package dev.deepscope.engine.diffusion;

import static dev.deepscope.engine.diffusion.UNetArchitecture.CONDITION_LENGTH;
import static dev.deepscope.engine.diffusion.UNetArchitecture.CONDITION_WIDTH;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A noise-predicting U-Net with its own graph and session: fresh with Adam for training, or restored
 * for serving. Running is thread-safe. A batch may mix conditions, which is how classifier-free
 * guidance gets ε_cond and ε_uncond from one call.
 */
public final class UNetModel implements AutoCloseable {

    /** A batch for the U-Net: x_t (N, size), t (N), condition tokens (N, 13·64) and their mask (N, 13). */
    public record Batch(float[][] noisy, float[] time, float[][] condition, float[][] conditionMask) {
    }

    /**
     * One level's output for one image: {@code values} are (side, side, width) channels-last, flattened.
     * {@code part} is encoder, bottleneck or decoder; {@code level} names it (down0, mid, up1, …).
     */
    public record FeatureMap(String level, String part, int side, int width, float[] values) {
    }

    /**
     * One cross-attention's weights for one image: {@code weights} are (side², 13), row-major — for each pixel
     * (query) its softmax over the 13 condition tokens (keys), padding weighted 0; each row sums to 1.
     */
    public record AttentionMap(String level, String part, int side, float[] weights) {
    }

    /** What the U-Net computed inside for one image of a batch: every level's output, every cross-attention. */
    public record Inside(List<FeatureMap> features, List<AttentionMap> attention) {
    }

    /** ε_θ for the whole batch, (N, size), and the inside of one of its images, from the same forward pass. */
    public record Forward(float[][] noise, Inside inside) {
    }

    private final UNetArchitecture architecture;
    private final Graph graph;
    private final UNetGraph net;
    private final Session session;
    private final Placeholder<TFloat32> target;  // (N, size) the ε that was added, training only
    private final Operand<TFloat32> loss;
    private final Op step;
    private final List<Placeholder<TFloat32>> newWeights;  // one per variable, training only
    private final Op assignWeights;

    private UNetModel(UNetArchitecture architecture, long seed, Float learningRate) {
        this.architecture = architecture;
        graph = Devices.newGraph();
        net = new UNetGraph(graph, architecture, seed);
        if (learningRate != null) {
            target = net.layers.tf().withName("target").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, architecture.size())));
            loss = net.loss(target);
            step = new Adam(graph, learningRate).minimize(loss);
            Ops tf = net.layers.tf();
            newWeights = new ArrayList<>();
            List<Op> assigns = new ArrayList<>();
            for (Variable<TFloat32> variable : net.layers.handles()) {
                Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
                newWeights.add(value);
                assigns.add(tf.assign(variable, value));
            }
            assignWeights = tf.withControlDependencies(assigns).noOp();
        } else {
            target = null;
            loss = null;
            step = null;
            newWeights = null;
            assignWeights = null;
        }
        session = new Session(graph, Devices.SESSION_CONFIG);
    }

    public static UNetModel forTraining(UNetArchitecture architecture, long seed, float learningRate) {
        UNetModel model = new UNetModel(architecture, seed, learningRate);
        model.session.initialize();
        return model;
    }

    public static UNetModel restore(UNetArchitecture architecture, Path checkpointDir) {
        UNetModel model = new UNetModel(architecture, 0, null);
        Checkpoint.restore(model.session, checkpointDir);
        return model;
    }

    public UNetArchitecture architecture() {
        return architecture;
    }

    public long parameterCount() {
        return net.layers.parameterCount();
    }

    /** Floating-point operations of one forward pass for one example (products only; see Layers). */
    public long forwardFlopsPerExample() {
        return net.layers.flopsPerExample();
    }

    /** ε_θ(x_t, t, c) for every row of the batch, (N, size). */
    public float[][] predictNoise(Batch batch) {
        int n = batch.noisy().length;
        try (Inputs in = new Inputs(batch);
             Result r = in.feed(session.runner()).fetch(net.noise).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), n, architecture.size());
        }
    }

    /**
     * {@link #predictNoise} that also fetches, by their names in the graph, every level's output and every
     * cross-attention's weights of image {@code row} (0..N−1) — the values this very forward pass computed.
     */
    public Forward predictNoiseInside(Batch batch, int row) {
        int n = batch.noisy().length;
        if (row < 0 || row >= n) {
            throw new IllegalArgumentException("row must be 0.." + (n - 1) + ", not " + row);
        }
        try (Inputs in = new Inputs(batch)) {
            Session.Runner runner = in.feed(session.runner()).fetch(net.noise);
            net.features.forEach(tap -> runner.fetch(tap.operation()));
            net.attentions.forEach(tap -> runner.fetch(tap.operation()));
            try (Result r = runner.run()) {
                float[][] noise = FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), n, architecture.size());
                List<FeatureMap> features = new ArrayList<>();
                int i = 1;
                for (UNetGraph.Tap tap : net.features) {
                    features.add(new FeatureMap(tap.level(), tap.part(), tap.side(), tap.width(),
                            row((TFloat32) r.get(i++), n, row)));
                }
                List<AttentionMap> attention = new ArrayList<>();
                for (UNetGraph.Tap tap : net.attentions) {
                    attention.add(new AttentionMap(tap.level(), tap.part(), tap.side(), row((TFloat32) r.get(i++), n, row)));
                }
                return new Forward(noise, new Inside(List.copyOf(features), List.copyOf(attention)));
            }
        }
    }

    private static float[] row(TFloat32 tensor, int n, int row) {
        float[] all = FloatTensors.toArray(tensor);
        int size = all.length / n;
        return java.util.Arrays.copyOfRange(all, row * size, (row + 1) * size);
    }

    /** One step on L = ‖ε − ε_θ(x_t, t, c)‖²; returns the loss before the step. */
    public float trainStep(Batch batch, float[][] noise) {
        try (Inputs in = new Inputs(batch);
             TFloat32 eps = FloatTensors.matrix(noise);
             Result r = in.feed(session.runner()).feed(target, eps).addTarget(step).fetch(loss).run()) {
            return FloatTensors.scalar((TFloat32) r.get(0));
        }
    }

    /** Every weight's current value, flattened, in a fixed order (the order {@link #loadWeights} takes). */
    public float[][] weights() {
        List<Operand<TFloat32>> variables = net.layers.variables();
        Session.Runner runner = session.runner();
        variables.forEach(runner::fetch);
        try (Result r = runner.run()) {
            float[][] values = new float[variables.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = FloatTensors.toArray((TFloat32) r.get(i));
            }
            return values;
        }
    }

    /** Overwrites every weight, e.g. with their moving average before saving. Training models only. */
    public void loadWeights(float[][] values) {
        List<Variable<TFloat32>> handles = net.layers.handles();
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner runner = session.runner().addTarget(assignWeights);
            for (int i = 0; i < values.length; i++) {
                TFloat32 tensor = TFloat32.tensorOf(handles.get(i).shape(), DataBuffers.of(values[i], true, false));
                tensors.add(tensor);
                runner.feed(newWeights.get(i), tensor);
            }
            try (Result done = runner.run()) {
                // the assignments are the point; nothing is fetched
            }
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    public void save(Path dir) {
        Checkpoint.save(session, dir);
    }

    /** The four input tensors of a batch, closed together. */
    private final class Inputs implements AutoCloseable {
        final TFloat32 x;
        final TFloat32 t;
        final TFloat32 c;
        final TFloat32 m;

        Inputs(Batch batch) {
            int n = batch.noisy().length;
            x = FloatTensors.matrix(batch.noisy());
            t = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(batch.time(), true, false));
            float[] flat = new float[n * CONDITION_LENGTH * CONDITION_WIDTH];
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.condition()[i], 0, flat, i * CONDITION_LENGTH * CONDITION_WIDTH,
                        CONDITION_LENGTH * CONDITION_WIDTH);
            }
            c = TFloat32.tensorOf(Shape.of(n, CONDITION_LENGTH, CONDITION_WIDTH), DataBuffers.of(flat, true, false));
            m = FloatTensors.matrix(batch.conditionMask());
        }

        Session.Runner feed(Session.Runner runner) {
            return runner.feed(net.noisy, x).feed(net.time, t).feed(net.condition, c).feed(net.conditionMask, m);
        }

        @Override
        public void close() {
            x.close();
            t.close();
            c.close();
            m.close();
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
