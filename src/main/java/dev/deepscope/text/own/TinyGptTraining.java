package dev.deepscope.text.own;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.GptTraining;
import java.util.Random;

/**
 * A tiny GPT learning one text from scratch, step by step, for as long as it is given: 2 blocks × 4 heads, width
 * 64, 64 tokens of context (~60–110 k weights with a character or a 384-token vocabulary). Each step is one AdamW
 * step on {@link #BATCH} windows of T + 1 tokens at seeded random places: the model reads tokens 0..T−1 and is
 * scored on 1..T. η warms up over {@link #WARMUP_STEPS} steps, then follows a cosine over the share of the
 * training time gone (the number of steps is not known ahead) down to a tenth of its peak.
 */
public final class TinyGptTraining implements AutoCloseable {

    public static final int CONTEXT = 64;
    public static final int WIDTH = 64;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int BATCH = 8;
    static final float PEAK_LEARNING_RATE = 1e-2f;
    static final int WARMUP_STEPS = 20;
    static final float WEIGHT_DECAY = 0.05f;
    static final float CLIP_NORM = 1f;

    private final GptTraining training;
    private final int[] tokens;
    private final Random random;
    private long steps;

    /**
     * @param tokens  the training text's tokens, at least 10 (the context shrinks to fit a short text)
     * @param threads TensorFlow threads for its session (0 = TensorFlow's shared pool)
     */
    public TinyGptTraining(int vocabulary, int[] tokens, long seed, int threads) {
        this.tokens = tokens;
        this.random = new Random(seed);
        GptConfig config = new GptConfig(vocabulary, Math.min(CONTEXT, tokens.length - 2), WIDTH, LAYERS, HEADS);
        this.training = new GptTraining(config, seed, WEIGHT_DECAY, CLIP_NORM, 0f, threads);
    }

    public GptConfig config() {
        return training.config();
    }

    /** Tokens read (and predicted) per step: B × T. */
    public int tokensPerStep() {
        return BATCH * config().context();
    }

    public long steps() {
        return steps;
    }

    /**
     * One step; returns its loss in nats per token (before the step).
     *
     * @param elapsed the share of the training time gone, 0..1, which sets the learning rate
     */
    public double step(double elapsed) {
        int context = config().context();
        int[][] inputs = new int[BATCH][context];
        int[][] targets = new int[BATCH][context];
        for (int b = 0; b < BATCH; b++) {
            int offset = random.nextInt(tokens.length - context);
            System.arraycopy(tokens, offset, inputs[b], 0, context);
            System.arraycopy(tokens, offset + 1, targets[b], 0, context);
        }
        steps++;
        return training.step(inputs, targets, learningRate(steps, elapsed), steps).loss();
    }

    static float learningRate(long step, double elapsed) {
        float floor = PEAK_LEARNING_RATE / 10;
        return step <= WARMUP_STEPS ? PEAK_LEARNING_RATE * step / WARMUP_STEPS
                : (float) (floor + (PEAK_LEARNING_RATE - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, elapsed))));
    }

    /** A model serving the weights as they are now (the caller closes it). */
    public GptModel snapshot() {
        return GptModel.fromWeights(config(), training.weights());
    }

    @Override
    public void close() {
        training.close();
    }
}
