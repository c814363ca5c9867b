package dev.deepscope.digits.training;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.mnist.DigitAugmentation;
import dev.deepscope.mnist.LabelledDigit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Mini-batch training of a digit classifier: each epoch shuffles the training digits (seeded), distorts
 * each one a little, and takes one optimizer step per batch; then it measures the held-out accuracy.
 * The same plan and seed give the same network.
 */
public final class DigitTrainer {

    /**
     * How a model is trained: {@code epochs} at {@code learningRate}, then {@code fineTuneEpochs} more at a
     * tenth of it (Adam's rate is fixed per graph, so the fine-tuning continues in a new graph restored from
     * the first phase's checkpoint, optimizer state included), with {@code fineTuneAugmentation}: the CNN ends
     * on digits closer to what it will be shown, without elastic distortion. {@code dropout} p is applied in
     * both phases' training graphs before the CNN's two dense layers (0 for the MLPs; never in the served graph).
     */
    public record Plan(DigitArchitecture architecture, long seed, int epochs, int batchSize, float learningRate,
                       DigitAugmentation augmentation, long maxSteps, int fineTuneEpochs,
                       DigitAugmentation fineTuneAugmentation, float dropout) {

        /** The settings the shipped checkpoints were trained with. */
        public static Plan shipped(DigitArchitecture architecture) {
            return switch (architecture.family()) {
                // the series' small network has little capacity to spare: light distortions, thin-to-bold strokes,
                // no elastic ones; each activation's amount chosen on the validation split (0.9708 and 0.9710)
                case MLP -> new Plan(architecture, 20261129L, 40, 32, 2e-3f,
                        architecture.activation() == DigitArchitecture.Activation.SIGMOID
                                ? new DigitAugmentation(8, 0.08, 1.5, 0.6, 0, 0)
                                : new DigitAugmentation(5, 0.05, 1, 0.5, 0, 0), Long.MAX_VALUE, 10, null, 0);
                // the first 16 + 4 epochs, without dropout (validation 0.9964); README gives the continuation
                case CNN -> new Plan(architecture, 20261129L, 16, 64, 1e-3f,
                        new DigitAugmentation(12, 0.12, 2.5, 0.8, 20, 4), Long.MAX_VALUE, 4,
                        new DigitAugmentation(8, 0.08, 1.5, 0.4, 0, 0), 0);
            };
        }

        public Plan withEpochs(int epochs, int fineTuneEpochs) {
            return new Plan(architecture, seed, epochs, batchSize, learningRate, augmentation, maxSteps, fineTuneEpochs,
                    fineTuneAugmentation, dropout);
        }

        /** Both phases with {@code augmentation}. */
        public Plan withAugmentation(DigitAugmentation augmentation) {
            return new Plan(architecture, seed, epochs, batchSize, learningRate, augmentation, maxSteps, fineTuneEpochs,
                    augmentation, dropout);
        }

        /** Dropout p before the CNN's dense layers in both phases (no effect on the MLPs). */
        public Plan withDropout(float dropout) {
            return new Plan(architecture, seed, epochs, batchSize, learningRate, augmentation, maxSteps, fineTuneEpochs,
                    fineTuneAugmentation, dropout);
        }

        /** Another seed: other shuffles, distortions and dropout masks (and initial weights). */
        public Plan withSeed(long seed) {
            return new Plan(architecture, seed, epochs, batchSize, learningRate, augmentation, maxSteps, fineTuneEpochs,
                    fineTuneAugmentation, dropout);
        }

        public Plan withMaxSteps(long steps) {
            return new Plan(architecture, seed, epochs, batchSize, learningRate, augmentation, steps, fineTuneEpochs,
                    fineTuneAugmentation, dropout);
        }

        /** The second phase: a tenth of the learning rate, its own shuffles. */
        public Plan fineTuning() {
            DigitAugmentation next = fineTuneAugmentation == null ? augmentation : fineTuneAugmentation;
            return new Plan(architecture, seed + 1, fineTuneEpochs, batchSize, learningRate / 10, next, maxSteps, 0, next,
                    dropout);
        }
    }

    public record Epoch(int epoch, long steps, double meanCost, double validationAccuracy, double seconds) {
    }

    public record Outcome(long steps, List<Epoch> epochs, List<Float> costs, double validationAccuracy) {
    }

    private DigitTrainer() {
    }

    /**
     * Trains {@code network} for {@code plan.epochs()} epochs over {@code training}, measuring the accuracy on
     * {@code validation} after each epoch (reported, never trained on).
     */
    public static Outcome train(DigitNetwork network, Plan plan, List<LabelledDigit> training,
                                List<LabelledDigit> validation, Consumer<Epoch> progress) {
        Random random = new Random(plan.seed());
        List<LabelledDigit> order = new ArrayList<>(training);
        List<Epoch> epochs = new ArrayList<>();
        List<Float> costs = new ArrayList<>();
        long steps = 0;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= plan.epochs() && steps < plan.maxSteps(); epoch++) {
            Collections.shuffle(order, random);
            double costSum = 0;
            int batches = 0;
            for (int from = 0; from + plan.batchSize() <= order.size() && steps < plan.maxSteps();
                 from += plan.batchSize()) {
                float[][] x = new float[plan.batchSize()][];
                float[][] y = new float[plan.batchSize()][DigitArchitecture.DIGITS];
                for (int i = 0; i < plan.batchSize(); i++) {
                    LabelledDigit d = order.get(from + i);
                    x[i] = plan.augmentation().distort(d.pixels(), random);
                    y[i][d.label()] = 1;
                }
                float cost = network.trainStep(x, y);
                costs.add(cost);
                costSum += cost;
                batches++;
                steps++;
            }
            Epoch e = new Epoch(epoch, steps, costSum / Math.max(1, batches), accuracy(network, validation),
                    (System.nanoTime() - start) / 1e9);
            epochs.add(e);
            progress.accept(e);
        }
        return new Outcome(steps, epochs, costs, accuracy(network, validation));
    }

    /** Fraction of digits whose most probable class is their label. */
    public static double accuracy(DigitNetwork network, List<LabelledDigit> digits) {
        int correct = 0;
        for (int from = 0; from < digits.size(); from += 500) {
            List<LabelledDigit> batch = digits.subList(from, Math.min(digits.size(), from + 500));
            float[][] p = network.probabilities(batch.stream().map(LabelledDigit::pixels).toArray(float[][]::new));
            for (int i = 0; i < batch.size(); i++) {
                if (VectorMath.argMax(p[i]) == batch.get(i).label()) {
                    correct++;
                }
            }
        }
        return (double) correct / digits.size();
    }
}
