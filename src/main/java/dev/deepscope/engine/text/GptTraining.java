package dev.deepscope.engine.text;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.Dropout;
import dev.deepscope.engine.FloatTensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A transformer being trained: its own graph (one model, one optimizer) with the next-token loss
 * and AdamW. The trained weights leave as plain arrays, to be served by a {@link GptModel}.
 */
public final class GptTraining implements AutoCloseable {

    /** One optimisation step: the mean loss in nats per token before the step, and ‖g‖ before clipping. */
    public record Step(float loss, float gradientNorm) {
    }

    private final GptConfig config;
    private final Graph graph;
    private final GptGraph net;
    private final Placeholder<TInt32> targets;   // (B, S) the next token at each position
    private final Operand<TFloat32> loss;        // mean −log p(target) in nats
    private final AdamW optimizer;
    private final Session session;
    private final Dropout dropout;
    private final float dropoutRate;

    public GptTraining(GptConfig config, long seed, float weightDecay, float clipNorm) {
        this(config, seed, weightDecay, clipNorm, 0f);
    }

    /**
     * Training from seeded random weights with dropout p ∈ [0, 1) on the embeddings, the attention patterns
     * and both residual branches of every block; the seed also fixes which values are dropped.
     */
    public GptTraining(GptConfig config, long seed, float weightDecay, float clipNorm, float dropout) {
        this(config, GptWeights.random(seed), seed, weightDecay, clipNorm, dropout, 0);
    }

    /**
     * As {@link #GptTraining(GptConfig, long, float, float, float)}, on a session with its own pool of
     * {@code threads} TensorFlow threads (0 = TensorFlow's shared pool), so a training run in the app uses at most
     * that many cores.
     */
    public GptTraining(GptConfig config, long seed, float weightDecay, float clipNorm, float dropout, int threads) {
        this(config, GptWeights.random(seed), seed, weightDecay, clipNorm, dropout, threads);
    }

    /** Training that starts from given weights (by checkpoint name). */
    public GptTraining(GptConfig config, Map<String, float[]> weights, float weightDecay, float clipNorm) {
        this(config, GptWeights.trained(weights), 0, weightDecay, clipNorm, 0f, 0);
    }

    private GptTraining(GptConfig config, GptWeights.Source initial, long seed, float weightDecay, float clipNorm,
                        float dropoutRate, int threads) {
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropoutRate);
        }
        this.config = config;
        this.dropoutRate = dropoutRate;
        this.graph = Devices.newGraph();
        Ops ops = Ops.create(graph);
        this.dropout = dropoutRate > 0 ? Dropout.training(ops, seed) : Dropout.NONE;
        this.net = new GptGraph(graph, config, initial, false, dropout);
        Ops tf = net.tf;
        targets = tf.withName("targets").placeholder(TInt32.class);
        var flatLogits = tf.reshape(net.logits, tf.constant(new int[] {-1, config.vocabulary()}));     // (B·S, V)
        // dense cross-entropy on one-hot targets: the sparse op has no gradient here (TFJAVA.md)
        var oneHot = tf.reshape(tf.oneHot(targets, tf.constant(config.vocabulary()), tf.constant(1f), tf.constant(0f)),
                tf.constant(new int[] {-1, config.vocabulary()}));                                     // (B·S, V)
        loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(flatLogits, oneHot).loss(), tf.constant(0));
        optimizer = new AdamW(tf, net.weights.all(), loss, weightDecay, clipNorm);
        session = new Session(graph, Devices.sessionConfig(threads));
        session.initialize();
    }

    public GptConfig config() {
        return config;
    }

    /** One AdamW step at learning rate η on a batch of windows; {@code step} counts from 1 (bias correction). */
    public Step step(int[][] inputs, int[][] nextTokens, float learningRate, long step) {
        try (TInt32 x = TokenTensors.matrix(inputs);
             TInt32 positions = TokenTensors.positions(inputs.length, inputs[0].length, 0);
             TInt32 y = TokenTensors.matrix(nextTokens);
             TFloat32 eta = TFloat32.scalarOf(learningRate);
             TFloat32 c1 = TFloat32.scalarOf((float) (1 / (1 - Math.pow(AdamW.BETA1, step))));
             TFloat32 c2 = TFloat32.scalarOf((float) (1 / (1 - Math.pow(AdamW.BETA2, step))));
             TFloat32 p = TFloat32.scalarOf(dropoutRate);
             Result result = feedDropout(session.runner(), p)
                     .feed(net.tokens, x).feed(net.positions, positions).feed(targets, y)
                     .feed(optimizer.learningRate, eta).feed(optimizer.firstCorrection, c1)
                     .feed(optimizer.secondCorrection, c2)
                     .fetch(loss).fetch(optimizer.gradientNorm).addTarget(optimizer.update).run()) {
            return new Step(((TFloat32) result.get(0)).getFloat(), ((TFloat32) result.get(1)).getFloat());
        }
    }

    /** Mean loss in nats per token on a batch, with dropout off and nothing changed (validation). */
    public float loss(int[][] inputs, int[][] nextTokens) {
        try (TInt32 x = TokenTensors.matrix(inputs);
             TInt32 positions = TokenTensors.positions(inputs.length, inputs[0].length, 0);
             TInt32 y = TokenTensors.matrix(nextTokens);
             Result result = session.runner().feed(net.tokens, x).feed(net.positions, positions).feed(targets, y)
                     .fetch(loss).run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    private Session.Runner feedDropout(Session.Runner runner, TFloat32 rate) {
        return dropout.rate == null ? runner : runner.feed(dropout.rate, rate);
    }

    /** ∂loss/∂θ for every parameter by name, and the loss, without changing anything (to check gradients). */
    public Map<String, float[]> gradients(int[][] inputs, int[][] nextTokens) {
        List<GptWeights.Parameter> parameters = net.weights.all();
        try (TInt32 x = TokenTensors.matrix(inputs);
             TInt32 positions = TokenTensors.positions(inputs.length, inputs[0].length, 0);
             TInt32 y = TokenTensors.matrix(nextTokens)) {
            var runner = session.runner().feed(net.tokens, x).feed(net.positions, positions).feed(targets, y);
            optimizer.gradients.forEach(runner::fetch);
            try (Result result = runner.run()) {
                Map<String, float[]> values = new LinkedHashMap<>();
                for (int i = 0; i < parameters.size(); i++) {
                    values.put(parameters.get(i).name(), FloatTensors.toArray((TFloat32) result.get(i)));
                }
                return values;
            }
        }
    }

    /** The current weights by checkpoint name. */
    public Map<String, float[]> weights() {
        List<GptWeights.Parameter> parameters = net.weights.all();
        var runner = session.runner();
        parameters.forEach(p -> runner.fetch(p.read()));
        Map<String, float[]> values = new LinkedHashMap<>();
        try (Result result = runner.run()) {
            for (int i = 0; i < parameters.size(); i++) {
                values.put(parameters.get(i).name(), FloatTensors.toArray((TFloat32) result.get(i)));
            }
        }
        return values;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
