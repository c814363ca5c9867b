package dev.deepscope.learning;

import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.engine.learning.TrainingNetwork;
import java.util.Random;

/**
 * The training loop of chapter 2: take a mini-batch, step θ ← θ − η ∇C, repeat, and say what happens.
 * With m = every training digit each step is plain gradient descent; with a small m it is stochastic
 * gradient descent, whose batches are a seeded shuffle of the digits, epoch after epoch.
 * Reports are deterministic in the step count (so the same seed gives the same curve), plus extra metric
 * points whenever a quarter second (later a hundredth of the time so far) passed so a slow run still moves on screen.
 */
public final class GradientDescent {

    /**
     * Where training stands after {@code step} steps and {@code examples} digits seen: C on the fixed cost
     * sample, the mean C of the mini-batches since the last metric (none at step 0), the validation
     * accuracy, and the seconds spent in training steps (evaluation excluded, so GD and SGD compare fairly).
     */
    public record Metric(int step, long examples, double cost, Double batchCost, double accuracy, double seconds) {
    }

    /** What the loop reports; every call happens on the training thread. */
    public interface Listener {
        /** Called before each step: throw to stop (a cancelled run). */
        default void beforeStep(int step) {
        }

        void metric(Metric metric);

        /** θ now, for pictures of the first layer's weights; at most about one a second. */
        default void weights(int step, MlpParameters theta) {
        }

        /** θ on the training path (about 25 points per run, first and last included), for the landscape. */
        default void path(int step, double cost, MlpParameters theta) {
        }
    }

    static final long METRIC_NANOS = 250_000_000L;
    static final long WEIGHTS_NANOS = 1_000_000_000L;
    /**
     * The most weights pictures a run sends (the last step's always comes too): a picture is ~44 KB, so this
     * keeps a run of any length within its event budget (deepscope.events.budget.train).
     */
    static final int MAX_PICTURES = 30;
    static final int METRIC_POINTS = 100;
    static final int PATH_POINTS = 24;

    private GradientDescent() {
    }

    /** Trains a fresh network from the seed and returns the last metric. */
    public static Metric train(TrainParams params, DigitData data, int threads, Listener listener) {
        MlpParameters start = MlpParameters.initial(params.shape(), params.seed());
        try (TrainingNetwork network = new TrainingNetwork(start, data.training(), data.validation(), threads)) {
            return train(network, params, data, listener);
        }
    }

    static Metric train(TrainingNetwork network, TrainParams params, DigitData data, Listener listener) {
        int steps = params.steps();
        int m = params.batchSize();
        int metricEvery = Math.max(1, (steps + METRIC_POINTS - 1) / METRIC_POINTS);
        int pathEvery = Math.max(1, (steps + PATH_POINTS - 1) / PATH_POINTS);
        Batches batches = new Batches(data.training().size(), m, new Random(params.seed()));
        float eta = params.learningRate().floatValue();

        network.warmUp();
        long started = System.nanoTime();
        long stepNanos = 0;
        double batchCostSum = 0;
        int batchesSinceMetric = 0;
        Metric last = measure(network, data, 0, 0, null, 0);
        listener.metric(last);
        listener.weights(0, network.parameters());
        listener.path(0, last.cost(), network.parameters());
        long lastMetricAt = System.nanoTime();
        long lastWeightsAt = lastMetricAt;
        int pictures = 1;
        for (int step = 1; step <= steps; step++) {
            listener.beforeStep(step);
            int[] batch = batches.next();
            long t0 = System.nanoTime();
            batchCostSum += network.step(batch, eta);        // θ ← θ − η ∇C(θ; batch)
            stepNanos += System.nanoTime() - t0;
            batchesSinceMetric++;
            long now = System.nanoTime();
            boolean end = step == steps;
            // timed points thin out as a run grows longer (a fourth of a second, then a hundredth of the time so far),
            // so an hour-long run stores hundreds of points, not fourteen thousand
            long metricInterval = Math.max(METRIC_NANOS, (now - started) / 100);
            if (end || step % metricEvery == 0 || now - lastMetricAt >= metricInterval) {
                last = measure(network, data, step, (long) step * m, batchCostSum / batchesSinceMetric, stepNanos / 1e9);
                listener.metric(last);
                batchCostSum = 0;
                batchesSinceMetric = 0;
                lastMetricAt = System.nanoTime();
            }
            // pictures slow down as a run grows longer (a second, then a tenth of the time so far), at most
            // MAX_PICTURES of them, so a long run stores tens of them, not thousands
            long weightsInterval = Math.max(WEIGHTS_NANOS, (now - started) / 10);
            if (end || (pictures < MAX_PICTURES && now - lastWeightsAt >= weightsInterval)) {
                listener.weights(step, network.parameters());
                lastWeightsAt = System.nanoTime();
                pictures++;
            }
            if (end || step % pathEvery == 0) {
                float cost = network.evaluate(data.costSample()).cost();
                listener.path(step, cost, network.parameters());
            }
        }
        return last;
    }

    private static Metric measure(TrainingNetwork network, DigitData data, int step, long examples, Double batchCost,
                                  double seconds) {
        TrainingNetwork.Evaluation e = network.evaluate(data.costSample());
        return new Metric(step, examples, e.cost(), batchCost, e.accuracy(), seconds);
    }

    /** Mini-batches of m training-digit indices: a seeded shuffle, cut in order, reshuffled each epoch. */
    static final class Batches {
        private final int[] order;
        private final int m;
        private final Random random;
        private int next;

        Batches(int n, int m, Random random) {
            this.order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            this.m = m;
            this.random = random;
            this.next = n; // shuffle before the first batch
        }

        int[] next() {
            if (m == order.length) {
                return order;           // gradient descent: every digit, every step
            }
            if (next + m > order.length) {
                shuffle();
                next = 0;
            }
            int[] batch = java.util.Arrays.copyOfRange(order, next, next + m);
            next += m;
            return batch;
        }

        private void shuffle() {
            for (int i = order.length - 1; i > 0; i--) {      // Fisher–Yates
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
}
