package dev.deepscope.bench;

import dev.deepscope.engine.MatmulPeak;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.text.own.OwnTokenizer;
import dev.deepscope.text.own.TinyGptTraining;
import dev.deepscope.text.training.MobyDick;
import java.util.List;

/**
 * Training throughput of a {@code train-text} run's tiny GPT, in tokens per second, against this machine's matmul
 * peak measured in the same run, on one TensorFlow thread (what a training run gets in the app) and on TensorFlow's
 * shared pool (every core). Model FLOPs per token: 6·N (2 for the forward multiply-add of each weight, 4 for the
 * backward pass), and 6·N + 6·L·T·C with attention's scores and weighted sums (Kaplan et al. 2020, table 1, ×3 for
 * training). N counts every weight but the position embedding (a lookup); the token embedding counts once, as the
 * tied-free unembedding W_U it also has. Text: Moby-Dick chapters 1–5 as a char and as a bpe (384 tokens) model would
 * read them (the run's tokenizers, {@link OwnTokenizer}). Not a test: a measurement. See README for the command.
 */
public final class TextTrainingBenchmark {

    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "10"));

    public static void main(String[] args) {
        StringBuilder text = new StringBuilder();
        for (int c = 1; c <= 5; c++) {
            text.append(MobyDick.chapter(c));
        }
        System.out.printf("%nText training benchmark: %d cores, %.0f s per point, %d characters of Moby-Dick%n",
                Runtime.getRuntime().availableProcessors(), SECONDS, text.length());
        int[] threadCounts = {1, 0};
        double[] peak = new double[2];
        for (int t = 0; t < 2; t++) {
            peak[t] = MatmulPeak.gflops(1024, threadCounts[t], SECONDS / 2);
            System.out.printf("matmul peak 1024×1024 float32, %s: %.1f GFLOP/s%n", label(threadCounts[t]), peak[t]);
        }
        for (String tokenizer : List.of("char", "bpe")) {
            OwnTokenizer tokens0 = OwnTokenizer.of(tokenizer, text.toString(), text.toString());
            int[] tokens = tokens0.encode(text.toString());
            int vocabulary = tokens0.vocabulary();
            for (int t = 0; t < 2; t++) {
                try (TinyGptTraining training = new TinyGptTraining(vocabulary, tokens, 1, threadCounts[t])) {
                    GptConfig c = training.config();
                    long n = c.parameterCount() - (long) c.context() * c.width();
                    double attention = 6.0 * c.layers() * c.context() * c.width();
                    for (int i = 0; i < 5; i++) {
                        training.step(0);                     // warm-up: the first steps set kernels up
                    }
                    long steps = 0;
                    long t0 = System.nanoTime();
                    long end = t0 + (long) (SECONDS * 1e9);
                    while (steps < 3 || System.nanoTime() < end) {
                        training.step(0.5);
                        steps++;
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double tokensPerSecond = steps * training.tokensPerStep() / seconds;
                    double plain = tokensPerSecond * 6.0 * n / 1e9;
                    double withAttention = tokensPerSecond * (6.0 * n + attention) / 1e9;
                    System.out.printf("%s, V = %d, N = %,d, %s: %d steps of %d tokens, %,.0f tokens/s;"
                                    + " 6N = %.2f MFLOP/token → %.2f GFLOP/s = %.1f %% of peak;"
                                    + " with attention %.2f GFLOP/s = %.1f %%%n", tokenizer, vocabulary, n,
                            label(threadCounts[t]), steps, training.tokensPerStep(), tokensPerSecond, 6.0 * n / 1e6,
                            plain, 100 * plain / peak[t], withAttention, 100 * withAttention / peak[t]);
                }
            }
        }
    }

    private static String label(int threads) {
        return threads == 1 ? "1 TensorFlow thread" : "shared pool (all cores)";
    }
}
