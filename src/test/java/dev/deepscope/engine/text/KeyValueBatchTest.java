package dev.deepscope.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Past keys and values kept between steps give what reading each text alone gives, and are rarely rebuilt. */
class KeyValueBatchTest {

    static final GptConfig CONFIG = new GptConfig(64, 80, 32, 2, 4);   // P is padded to 32, 64, then 80
    static GptModel model;

    @BeforeAll
    static void build() {
        try (GptTraining training = new GptTraining(CONFIG, 7, 0.1f, 1f)) {
            model = GptModel.fromWeights(CONFIG, training.weights());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aKeptBatchDecodesAsEachTextAloneWhileTextsJoinAndLeave() {
        Random random = new Random(3);
        List<KeyValueCache> batched = new ArrayList<>();
        List<KeyValueCache> alone = new ArrayList<>();
        int steps = 45;
        try (KeyValueBatch past = new KeyValueBatch(CONFIG)) {
            for (int length : new int[] {3, 10, 30}) {
                join(batched, alone, length, random);
            }
            for (int step = 0; step < steps; step++) {
                if (step == 12) {                                     // a text leaves
                    batched.remove(1);
                    alone.remove(1);
                }
                if (step == 20) {                                     // a text joins
                    join(batched, alone, 5, random);
                }
                int[][] next = new int[batched.size()][];
                for (int i = 0; i < next.length; i++) {
                    next[i] = new int[] {random.nextInt(CONFIG.vocabulary())};
                }
                List<GptModel.Output> together = model.read(past, batched, next, step % 3 == 0);
                for (int i = 0; i < next.length; i++) {
                    float[] single = model.read(List.of(alone.get(i)), new int[][] {next[i]}, false).get(0).logits()[0];
                    assertClose(together.get(i).logits()[0], single, "step " + step + ", text " + i);
                    assertThat(batched.get(i).length()).isEqualTo(alone.get(i).length());
                }
            }
            // built at the start, when a text left, when one joined, and when the longest text passed 32 and 64
            assertThat(past.builds()).as("tensors built anew, of %d steps", steps).isBetween(3L, 6L);
        }
    }

    @Test
    void aTextReadElsewhereIsCopiedAnew() {
        Random random = new Random(4);
        List<KeyValueCache> batched = new ArrayList<>();
        List<KeyValueCache> alone = new ArrayList<>();
        join(batched, alone, 4, random);
        join(batched, alone, 6, random);
        try (KeyValueBatch past = new KeyValueBatch(CONFIG)) {
            model.read(past, batched, new int[][] {{1}, {2}}, false);
            model.read(alone, new int[][] {{1}, {2}}, false);
            int[] more = {7, 8, 9};
            model.read(List.of(batched.get(0)), new int[][] {more}, false);    // e.g. re-read after a rewind
            model.read(List.of(alone.get(0)), new int[][] {more}, false);
            List<GptModel.Output> together = model.read(past, batched, new int[][] {{3}, {4}}, false);
            List<GptModel.Output> apart = model.read(alone, new int[][] {{3}, {4}}, false);
            assertClose(together.get(0).logits()[0], apart.get(0).logits()[0], "text read elsewhere");
            assertClose(together.get(1).logits()[0], apart.get(1).logits()[0], "the other text");
            assertThat(past.builds()).isEqualTo(2);
        }
    }

    private static void join(List<KeyValueCache> batched, List<KeyValueCache> alone, int length, Random random) {
        int[] prompt = random.ints(length, 0, CONFIG.vocabulary()).toArray();
        for (List<KeyValueCache> caches : List.of(batched, alone)) {
            KeyValueCache cache = new KeyValueCache(CONFIG);
            model.read(List.of(cache), new int[][] {prompt}, false);
            caches.add(cache);
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s, logit %d", what, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
