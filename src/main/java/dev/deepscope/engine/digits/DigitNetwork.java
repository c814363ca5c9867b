package dev.deepscope.engine.digits;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A digit classifier that owns its graph and session. Either restored from a checkpoint for serving,
 * or built fresh with an optimizer for training (one model and one optimizer per graph).
 * Running is thread-safe; the graph is complete before the first run.
 */
public final class DigitNetwork implements AutoCloseable {

    /**
     * Every layer's activations a for one example (input first, probabilities last) and, when asked, its
     * pre-activations z (null for the input, or when not asked; the logits for the output; max-pooled like a for a convolution, so a = f(z) cell by
     * cell, except for units an {@link Intervention} set).
     */
    public record Forward(List<float[]> activations, List<float[]> preActivations, float[] probabilities) {
    }

    /**
     * Set one unit of a hidden layer to {@code value} in place of what it computed: 0 switches it off, another
     * value pins it there; the layers after it are computed from the changed activations. A unit is a neuron of
     * a dense layer or a channel (a whole feature map) of a convolution.
     */
    public record Intervention(String layer, int unit, float value) {
    }

    /** The weights into each neuron of a layer, neuron by neuron, with the shape to draw them in. */
    public record LayerWeights(String layer, long[] neuronShape, float[][] incoming, float[] biases) {
    }

    /** A layer's name and the shape of its activation for one example. */
    public record LayerShape(String name, long[] shape) {
    }

    private final DigitArchitecture architecture;
    private final Graph graph;
    private final DigitGraph net;
    private final Session session;
    private final Placeholder<TFloat32> labels;    // (N, 10) one-hot, training only
    private final Operand<TFloat32> cost;          // C = mean cross-entropy, training only
    private final Op step;                         // θ ← Adam(θ, ∇C), training only
    private final TFloat32 dropoutRate;            // p fed with each training step (CNN only), else null

    private DigitNetwork(DigitArchitecture architecture, long seed, Float learningRate, float dropout) {
        this.architecture = architecture;
        this.graph = Devices.newGraph();
        this.net = new DigitGraph(graph, architecture, seed, learningRate != null && dropout > 0);
        this.dropoutRate = net.dropout.rate == null ? null : TFloat32.scalarOf(dropout);
        var tf = net.tf();
        if (learningRate != null) {
            labels = tf.withName("labels").placeholder(TFloat32.class);
            // C = −Σ y·log softmax(logits), averaged over the batch
            cost = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(net.logits, labels).loss(), tf.constant(0));
            step = new Adam(graph, learningRate).minimize(cost);
        } else {
            labels = null;
            cost = null;
            step = null;
        }
        // serving: its own small pool (Devices.interactiveConfig); training: the shared pool, as before
        this.session = new Session(graph, learningRate == null ? Devices.interactiveConfig() : Devices.SESSION_CONFIG);
    }

    /** A freshly initialised network with an Adam optimizer, ready to train, without dropout. */
    public static DigitNetwork forTraining(DigitArchitecture architecture, long seed, float learningRate) {
        return forTraining(architecture, seed, learningRate, 0);
    }

    /**
     * A freshly initialised network with an Adam optimizer; {@code dropout} p in [0, 1) is applied by each
     * training step before the CNN's dense layers (ignored for the MLPs); {@link #probabilities} never drops.
     */
    public static DigitNetwork forTraining(DigitArchitecture architecture, long seed, float learningRate,
                                           float dropout) {
        DigitNetwork network = new DigitNetwork(architecture, seed, learningRate, dropout);
        network.session.initialize();
        return network;
    }

    /**
     * A network that goes on training from {@code checkpointDir} (weights and optimizer state) at a new
     * learning rate and {@code dropout} (see {@link #forTraining(DigitArchitecture, long, float, float)});
     * the architecture must be the one the checkpoint was saved from.
     */
    public static DigitNetwork resumeTraining(DigitArchitecture architecture, Path checkpointDir, float learningRate,
                                              float dropout) {
        // seed 0 only seeds the dropout masks here (weights come from the checkpoint): still reproducible
        DigitNetwork network = new DigitNetwork(architecture, 0, learningRate, dropout);
        Checkpoint.restore(network.session, checkpointDir);
        return network;
    }

    public static DigitNetwork restore(DigitArchitecture architecture, Path checkpointDir) {
        DigitNetwork network = new DigitNetwork(architecture, 0, null, 0);
        Checkpoint.restore(network.session, checkpointDir);
        return network;
    }

    public DigitArchitecture architecture() {
        return architecture;
    }

    public long parameterCount() {
        return net.parameterCount;
    }

    public List<LayerShape> layers() {
        return net.layers.stream().map(l -> new LayerShape(l.name(), l.shape())).toList();
    }

    /** The hidden layers, whose units an {@link Intervention} can set: their last dimension counts the units. */
    public List<LayerShape> hidden() {
        return net.layers.stream().filter(l -> l.unitSwitch() != null)
                .map(l -> new LayerShape(l.name(), l.shape())).toList();
    }

    /** One example through the network, keeping every layer's activations (no pre-activations). */
    public Forward forward(float[] pixels) {
        return forward(pixels, List.of(), false);
    }

    /**
     * One example through the network with some hidden units set (none: the plain forward pass, exactly), and
     * the pre-activations z if {@code withPreActivations} (else every entry of {@link Forward#preActivations} is
     * null, and the ops that only compute them do not run).
     *
     * @throws IllegalArgumentException for a layer that is not hidden or a unit it does not have
     */
    public Forward forward(float[] pixels, List<Intervention> interventions, boolean withPreActivations) {
        List<TFloat32> fed = new ArrayList<>();
        try (TFloat32 input = FloatTensors.matrix(new float[][] {pixels})) {
            var runner = session.runner().feed(net.pixels, input);
            for (DigitGraph.LayerOutput layer : net.layers) {
                float[][] keepAndSet = switches(layer, interventions);
                if (keepAndSet != null) {
                    long[] shape = layer.unitSwitch().shape();
                    TFloat32 keep = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(keepAndSet[0], true, false));
                    fed.add(keep);
                    TFloat32 set = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(keepAndSet[1], true, false));
                    fed.add(set);
                    runner.feed(layer.unitSwitch().keep(), keep).feed(layer.unitSwitch().set(), set);
                }
            }
            net.layers.forEach(l -> runner.fetch(l.activation()));
            List<DigitGraph.LayerOutput> withZ = net.layers.stream()
                    .filter(l -> withPreActivations && l.preActivation() != null).toList();
            withZ.forEach(l -> runner.fetch(l.preActivation()));
            try (Result result = runner.run()) {
                int n = net.layers.size();
                List<float[]> activations = new ArrayList<>();
                List<float[]> preActivations = new ArrayList<>();
                int next = n;   // the pre-activations were fetched after every activation
                for (int i = 0; i < n; i++) {
                    activations.add(FloatTensors.toArray((TFloat32) result.get(i)));
                    preActivations.add(withZ.contains(net.layers.get(i))
                            ? FloatTensors.toArray((TFloat32) result.get(next++)) : null);
                }
                return new Forward(activations, preActivations, activations.get(n - 1));
            }
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    /** This layer's {keep, set} vectors (see DigitGraph.UnitSwitch), or null when no intervention is on it. */
    private float[][] switches(DigitGraph.LayerOutput layer, List<Intervention> interventions) {
        for (Intervention i : interventions) {
            if (net.layers.stream().noneMatch(l -> l.name().equals(i.layer()) && l.unitSwitch() != null)) {
                throw new IllegalArgumentException(architecture.name() + " has no hidden layer " + i.layer());
            }
        }
        List<Intervention> here = interventions.stream().filter(i -> i.layer().equals(layer.name())).toList();
        if (here.isEmpty()) {
            return null;
        }
        int units = layer.unitSwitch().units();
        float[] keep = new float[units];
        float[] set = new float[units];
        Arrays.fill(keep, 1f);
        for (Intervention i : here) {
            if (i.unit() < 0 || i.unit() >= units) {
                throw new IllegalArgumentException(layer.name() + " has no unit " + i.unit() + " (0.." + (units - 1) + ")");
            }
            keep[i.unit()] = 0f;
            set[i.unit()] = i.value();
        }
        return new float[][] {keep, set};
    }

    /** Probabilities (N, 10) for a batch of examples (N, 784). */
    public float[][] probabilities(float[][] batch) {
        try (TFloat32 input = FloatTensors.matrix(batch);
             Result result = session.runner().feed(net.pixels, input).fetch(net.probabilities).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) result.get(0)), batch.length,
                    DigitArchitecture.DIGITS);
        }
    }

    /** One optimisation step on a mini-batch; returns the cost C before the step. */
    public float trainStep(float[][] pixels, float[][] oneHotLabels) {
        if (step == null) {
            throw new IllegalStateException(architecture.name() + " was loaded for serving, not training");
        }
        try (TFloat32 x = FloatTensors.matrix(pixels);
             TFloat32 y = FloatTensors.matrix(oneHotLabels);
             Result result = withDropout(session.runner().feed(net.pixels, x).feed(labels, y))
                     .addTarget(step).fetch(cost).run()) {
            return FloatTensors.scalar((TFloat32) result.get(0));
        }
    }

    private Session.Runner withDropout(Session.Runner runner) {
        return dropoutRate == null ? runner : runner.feed(net.dropout.rate, dropoutRate);
    }

    /** Each parameterised layer's weights, rearranged neuron by neuron (kernel (…, n) → n rows). */
    public List<LayerWeights> weights() {
        var runner = session.runner();
        net.parameters.forEach(p -> runner.fetch(p.kernel()).fetch(p.bias()));
        try (Result result = runner.run()) {
            List<LayerWeights> layers = new ArrayList<>();
            for (int i = 0; i < net.parameters.size(); i++) {
                var p = net.parameters.get(i);
                float[] kernel = FloatTensors.toArray((TFloat32) result.get(2 * i));
                float[] biases = FloatTensors.toArray((TFloat32) result.get(2 * i + 1));
                int neurons = biases.length;
                int fanIn = kernel.length / neurons;
                float[][] incoming = new float[neurons][fanIn];
                for (int j = 0; j < fanIn; j++) {
                    for (int n = 0; n < neurons; n++) {
                        incoming[n][j] = kernel[j * neurons + n];
                    }
                }
                layers.add(new LayerWeights(p.name(), p.neuronShape(), incoming, biases));
            }
            return layers;
        }
    }

    public void save(Path dir) {
        Checkpoint.save(session, dir);
    }

    @Override
    public void close() {
        if (dropoutRate != null) {
            dropoutRate.close();
        }
        session.close();
        graph.close();
    }
}
