package dev.deepscope.text.training;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptTraining;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Next-token training: each step draws a batch of windows of T + 1 tokens at seeded random places in the
 * training text; the model reads tokens 0..T−1 and is scored on predicting tokens 1..T.
 * The learning rate warms up linearly, then decays along a cosine to a tenth of its peak.
 */
public final class GptTrainer {

    public record Plan(GptConfig config, long seed, int steps, int batchSize, float peakLearningRate,
                       int warmupSteps, float weightDecay, float clipNorm) {

        /** The settings the shipped model was trained with (see README and its manifest). */
        public static Plan shipped(GptConfig config, int steps) {
            return new Plan(config, 20261128L, steps, 32, 3e-3f, 200, 0.1f, 1.0f);
        }

        /** η(step): linear warm-up to the peak, then cosine decay to peak / 10 at the last step. */
        public float learningRate(long step) {
            if (step <= warmupSteps) {
                return peakLearningRate * step / warmupSteps;
            }
            double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
            double floor = peakLearningRate / 10.0;
            return (float) (floor + (peakLearningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }

        public String optimizer() {
            return "AdamW (β₁ 0.9, β₂ 0.95, weight decay " + weightDecay + " on matrices), gradient clipping at norm "
                    + clipNorm + ", learning rate warm-up over " + warmupSteps + " steps to " + peakLearningRate
                    + " then cosine decay to " + peakLearningRate / 10;
        }
    }

    /** Progress after a step: the step, its loss in nats per token, ‖g‖, the rate used and the time so far. */
    public record Progress(long step, float loss, float gradientNorm, float learningRate, double seconds) {
    }

    private GptTrainer() {
    }

    /** Runs the plan on {@code tokens}; returns the mean loss of the last 50 steps. */
    public static double train(GptTraining training, Plan plan, int[] tokens, Consumer<Progress> progress) {
        int context = plan.config().context();
        if (tokens.length <= context + 1) {
            throw new IllegalArgumentException("the training text has fewer than " + (context + 2) + " tokens");
        }
        Random random = new Random(plan.seed());
        long start = System.nanoTime();
        double recent = 0;
        int recentCount = 0;
        for (long step = 1; step <= plan.steps(); step++) {
            int[][] inputs = new int[plan.batchSize()][context];
            int[][] targets = new int[plan.batchSize()][context];
            for (int b = 0; b < plan.batchSize(); b++) {
                int offset = random.nextInt(tokens.length - context - 1);
                System.arraycopy(tokens, offset, inputs[b], 0, context);
                System.arraycopy(tokens, offset + 1, targets[b], 0, context);
            }
            float rate = plan.learningRate(step);
            GptTraining.Step result = training.step(inputs, targets, rate, step);
            if (step > plan.steps() - 50) {
                recent += result.loss();
                recentCount++;
            }
            progress.accept(new Progress(step, result.loss(), result.gradientNorm(), rate,
                    (System.nanoTime() - start) / 1e9));
        }
        return recent / Math.max(1, recentCount);
    }
}
