package dev.deepscope.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transformer's mechanics on a tiny randomly initialised model: cache, batching, training. */
class GptModelTest {

    static final GptConfig TINY = new GptConfig(64, 16, 32, 2, 4);
    static GptModel model;

    @BeforeAll
    static void build() {
        try (GptTraining training = new GptTraining(TINY, 7, 0.1f, 1f)) {
            model = GptModel.fromWeights(TINY, training.weights());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void cachedDecodingGivesTheLogitsOfReadingTheWholeContext() {
        int[] text = randomTokens(TINY.context(), 1);
        float[][] full = model.logits(new int[][] {text})[0];                   // (T, V) from scratch
        KeyValueCache cache = new KeyValueCache(TINY);
        float[][] prompt = model.read(List.of(cache), new int[][] {java.util.Arrays.copyOf(text, 5)}, false).get(0).logits();
        for (int i = 0; i < 5; i++) {
            assertClose(prompt[i], full[i]);
        }
        for (int i = 5; i < text.length; i++) {                                 // then one token at a time
            float[] step = model.read(List.of(cache), new int[][] {{text[i]}}, false).get(0).logits()[0];
            assertClose(step, full[i]);
        }
        assertThat(cache.length()).isEqualTo(TINY.context());
        assertThat(cache.remaining()).isZero();
    }

    @Test
    void textsOfDifferentLengthsBatchedTogetherMatchEachReadAlone() {
        int[] lengths = {1, 4, 9};
        List<KeyValueCache> batched = new ArrayList<>();
        List<KeyValueCache> alone = new ArrayList<>();
        int[][] next = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            int[] prompt = randomTokens(lengths[i], 10 + i);
            batched.add(new KeyValueCache(TINY));
            alone.add(new KeyValueCache(TINY));
            model.read(List.of(batched.get(i)), new int[][] {prompt}, false);
            model.read(List.of(alone.get(i)), new int[][] {prompt}, false);
            next[i] = new int[] {i + 3};
        }
        List<GptModel.Output> together = model.read(batched, next, true);
        for (int i = 0; i < lengths.length; i++) {
            GptModel.Output single = model.read(List.of(alone.get(i)), new int[][] {next[i]}, true).get(0);
            assertClose(together.get(i).logits()[0], single.logits()[0]);
            GptModel.Inspection a = together.get(i).inspection();
            assertThat(a.attention()[0][0]).hasSize(lengths[i] + 1);             // its own keys only
            double sum = 0;
            for (float w : a.attention()[1][2]) {
                sum += w;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertClose(a.logitLens()[TINY.layers()], together.get(i).logits()[0]);  // the last lens is the output
            assertThat(a.residualNorms()).hasSize(TINY.layers() + 1);
            assertThat(a.neurons()[0]).hasSize(TINY.mlpWidth());
        }
    }

    @Test
    void trainingLowersTheLossAndIsReproducible() {
        int[] text = new int[400];
        for (int i = 0; i < text.length; i++) {
            text[i] = (i * 7 + i / 5) % TINY.vocabulary();                       // a learnable pattern
        }
        float[] first = trainBriefly(text);
        float[] again = trainBriefly(text);
        assertThat(first[1]).isLessThan(first[0] * 0.7f);
        // same seed, same batches, same losses (multi-threaded kernels may reorder float sums slightly)
        assertThat(again[0]).isCloseTo(first[0], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(again[1]).isCloseTo(first[1], org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void dropoutActsWhileTrainingOnlyIsReproducibleAndKeepsTheServedWeights() {
        int[] text = new int[400];
        for (int i = 0; i < text.length; i++) {
            text[i] = (i * 7 + i / 5) % TINY.vocabulary();
        }
        int[][] x = new int[4][TINY.context()];
        int[][] y = new int[4][TINY.context()];
        for (int b = 0; b < 4; b++) {
            System.arraycopy(text, b * 31, x[b], 0, TINY.context());
            System.arraycopy(text, b * 31 + 1, y[b], 0, TINY.context());
        }
        try (GptTraining plain = new GptTraining(TINY, 3, 0.1f, 1f);
             GptTraining dropped = new GptTraining(TINY, 3, 0.1f, 1f, 0.3f)) {
            float clean = dropped.loss(x, y);
            assertThat(clean).as("scoring runs without dropout").isEqualTo(plain.loss(x, y));
            float noisy = dropped.step(x, y, 0f, 1).loss();           // η = 0: the weights stay put
            assertThat(noisy).as("a training step drops values").isNotCloseTo(clean,
                    org.assertj.core.data.Offset.offset(1e-3f));
            assertThat(dropped.loss(x, y)).isEqualTo(clean);
            assertThat(dropped.weights().keySet()).isEqualTo(plain.weights().keySet());
        }
        float[] first = trainBriefly(text, 0.2f);
        float[] again = trainBriefly(text, 0.2f);
        assertThat(first[1]).isLessThan(first[0] * 0.8f);
        assertThat(again[0]).isCloseTo(first[0], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(again[1]).isCloseTo(first[1], org.assertj.core.data.Offset.offset(1e-3f));
    }

    private static float[] trainBriefly(int[] text) {
        return trainBriefly(text, 0f);
    }

    /** 40 AdamW steps with dropout p; returns the first and last loss. */
    private static float[] trainBriefly(int[] text, float dropout) {
        try (GptTraining training = new GptTraining(TINY, 3, 0.1f, 1f, dropout)) {
            Random random = new Random(5);
            float firstLoss = 0;
            float lastLoss = 0;
            for (int step = 1; step <= 40; step++) {
                int[][] x = new int[8][TINY.context()];
                int[][] y = new int[8][TINY.context()];
                for (int b = 0; b < 8; b++) {
                    int at = random.nextInt(text.length - TINY.context() - 1);
                    System.arraycopy(text, at, x[b], 0, TINY.context());
                    System.arraycopy(text, at + 1, y[b], 0, TINY.context());
                }
                float loss = training.step(x, y, 1e-2f, step).loss();
                if (step == 1) {
                    firstLoss = loss;
                }
                lastLoss = loss;
            }
            assertThat(firstLoss).isCloseTo((float) Math.log(TINY.vocabulary()), org.assertj.core.data.Offset.offset(0.3f));
            Map<String, float[]> weights = training.weights();
            assertThat(weights.values().stream().mapToLong(w -> w.length).sum()).isEqualTo(TINY.parameterCount());
            try (GptModel served = GptModel.fromWeights(TINY, weights)) {   // the serving graph takes them as they are
                assertThat(served.parameterCount()).isEqualTo(TINY.parameterCount());
            }
            return new float[] {firstLoss, lastLoss};
        }
    }

    private static int[] randomTokens(int n, long seed) {
        Random random = new Random(seed);
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = random.nextInt(TINY.vocabulary());
        }
        return tokens;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
