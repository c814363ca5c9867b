package dev.deepscope.bench;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueBatch;
import dev.deepscope.engine.text.KeyValueCache;
import dev.deepscope.text.Sampler;
import dev.deepscope.text.TextModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One decoding step of the shipped GPT timed at batch 1 and at batch 16, with and without inspection: the step
 * the decoding loop takes per token (one pending token per text read in one forward pass, its past keys and
 * values kept in a {@link KeyValueBatch}, then each text's next token sampled), on caches that grow from
 * {@code bench.start} to {@code bench.start + bench.steps} positions as in a real text. Prints the best and the
 * median ms per step over {@code bench.repeats} interleaved runs and the batch-16 / batch-1 throughput ratio.
 * Not a test: a measurement. Run with {@code mvn -B -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.deepscope.bench.DecodingStepBenchmark}.
 */
public final class DecodingStepBenchmark {

    private static final int START = Integer.getInteger("bench.start", 8);
    private static final int STEPS = Integer.getInteger("bench.steps", 112);
    private static final int REPEATS = Integer.getInteger("bench.repeats", 5);
    private static final int BATCH = Integer.getInteger("bench.streams", 16);
    private static final Sampler.Settings SAMPLING = new Sampler.Settings(0.8, 40, 0.95);

    public static void main(String[] args) {
        TextModel text = new TextModel();
        try {
            GptModel model = text.model();
            System.out.printf("%nDecoding step benchmark: %d cores, caches from %d to %d positions, %d repeats%n",
                    Runtime.getRuntime().availableProcessors(), START, START + STEPS, REPEATS);
            for (boolean inspect : new boolean[] {false, true}) {
                steps(model, 1, inspect);                            // warm up every padded shape
                steps(model, BATCH, inspect);
                double[] one = new double[REPEATS];
                double[] many = new double[REPEATS];
                for (int r = 0; r < REPEATS; r++) {                  // interleaved: both see the same machine
                    one[r] = steps(model, 1, inspect);
                    many[r] = steps(model, BATCH, inspect);
                }
                Arrays.sort(one);
                Arrays.sort(many);
                double oneMedian = one[REPEATS / 2];
                double manyMedian = many[REPEATS / 2];
                System.out.printf("inspection %-5s: batch 1 %5.2f ms/step (median %5.2f), batch %d %5.2f ms/step "
                                + "(median %5.2f) -> %d texts %.2f× one (median %.2f×)%n", inspect, one[0], oneMedian,
                        BATCH, many[0], manyMedian, BATCH, BATCH * one[0] / many[0], BATCH * oneMedian / manyMedian);
            }
        } finally {
            text.close();
        }
    }

    /** Mean ms per step of {@code batch} texts decoded together for {@link #STEPS} steps after a prompt. */
    static double steps(GptModel model, int batch, boolean inspect) {
        Random random = new Random(batch);
        List<KeyValueCache> caches = new ArrayList<>();
        int[][] next = new int[batch][1];
        for (int i = 0; i < batch; i++) {
            KeyValueCache cache = new KeyValueCache(model.config());
            int[] prompt = random.ints(START, 0, model.config().vocabulary()).toArray();
            model.read(List.of(cache), new int[][] {prompt}, false);
            caches.add(cache);
            next[i][0] = random.nextInt(model.config().vocabulary());
        }
        try (KeyValueBatch past = new KeyValueBatch(model.config())) {
            long start = System.nanoTime();
            for (int step = 0; step < STEPS; step++) {
                List<GptModel.Output> outputs = model.read(past, caches, next, inspect);
                for (int i = 0; i < batch; i++) {
                    next[i][0] = Sampler.sample(outputs.get(i).logits()[0], SAMPLING, random);
                }
            }
            return (System.nanoTime() - start) / 1e6 / STEPS;
        }
    }
}
