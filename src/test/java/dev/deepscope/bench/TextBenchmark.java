package dev.deepscope.bench;

import dev.deepscope.engine.MatmulPeak;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptTraining;
import dev.deepscope.text.BytePairEncoding;
import dev.deepscope.text.DecodingLoop;
import dev.deepscope.text.Sampler;
import dev.deepscope.text.Surprisal;
import dev.deepscope.text.TextModel;
import dev.deepscope.text.training.MobyDick;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The small GPT's numbers: held-out bits per character; decoding tokens/s for one text and for 16 written
 * at once through the continuous-batching loop, and the time to the first token; training tokens/s and
 * model FLOP utilisation against a matmul peak measured in the same run. Not a test: a measurement.
 * See README for the command.
 */
public final class TextBenchmark {

    private static final int TOKENS = Integer.getInteger("bench.tokens", 200);
    private static final int STREAMS = Integer.getInteger("bench.streams", 16);
    private static final Sampler.Settings SAMPLING = new Sampler.Settings(0.8, 40, 0.95);

    /** Wall time, tokens written and the mean time to first token of a group of texts written together. */
    record Writing(int texts, int tokens, double seconds, double firstTokenMs) {
        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("%nText benchmark: %d cores, %s CPU kernels, %d tokens per text%n",
                Runtime.getRuntime().availableProcessors(), dev.deepscope.engine.Devices.cpuKernels(), TOKENS);
        TextModel model = new TextModel();
        try {
            long start = System.nanoTime();
            Surprisal.Scored heldOut = model.score(MobyDick.heldOut());
            System.out.printf("held-out chapters 131–135 + epilogue: %.4f bits per character, %.4f bits per token "
                    + "(%d tokens scored in %.1f s)%n", heldOut.bitsPerChar(), heldOut.bitsPerToken(), heldOut.ids().length,
                    (System.nanoTime() - start) / 1e9);

            write(model, 1, false);                                   // warm-up: each fetch set runs once first
            write(model, 1, true);
            for (boolean inspect : new boolean[] {false, true}) {
                String what = inspect ? "with inspection (attention, lens, neurons)" : "logits only";
                Writing one = write(model, 1, inspect);
                Writing many = write(model, STREAMS, inspect);
                System.out.printf("%s:%n  1 text:   %7.1f tokens/s, first token after %6.1f ms%n", what,
                        one.tokensPerSecond(), one.firstTokenMs());
                System.out.printf("  %d texts: %7.1f tokens/s together (%.1f× one), first token after %6.1f ms on average%n",
                        STREAMS, many.tokensPerSecond(), many.tokensPerSecond() / one.tokensPerSecond(), many.firstTokenMs());
            }
            System.out.printf("mean batch of the decoding loop over the run: %.1f texts per forward pass%n",
                    model.decoding().batching().meanBatch());
        } finally {
            model.close();
        }
        training();
    }

    /** {@code texts} prompts submitted at once; returns when every text has {@link #TOKENS} tokens. */
    static Writing write(TextModel model, int texts, boolean inspect) throws Exception {
        BytePairEncoding tokenizer = model.tokenizer();
        String[] prompts = {"Call me Ishmael.", "The whale", "Queequeg was", "It was a dark night, and"};
        long start = System.nanoTime();
        List<DecodingLoop.Queued> streams = new ArrayList<>();
        for (int i = 0; i < texts; i++) {
            streams.add(model.decoding().submit(new DecodingLoop.Request(tokenizer.encode(prompts[i % prompts.length]),
                    TOKENS, SAMPLING, i, inspect)));
        }
        int tokens = 0;
        double firstTokenMs = 0;
        for (DecodingLoop.Queued stream : streams) {
            boolean first = true;
            for (DecodingLoop.Event e = stream.next(); e instanceof DecodingLoop.Token t; e = stream.next()) {
                if (first) {
                    firstTokenMs += (t.chosenAt() - start) / 1e6;
                    first = false;
                }
                tokens++;
            }
        }
        return new Writing(texts, tokens, (System.nanoTime() - start) / 1e9, firstTokenMs / texts);
    }

    /**
     * Training throughput on the shipped shape (batch 32 × 128) and its model FLOP utilisation:
     * FLOPs per token ≈ 6·N (N = parameters used in matmuls, i.e. without the two embedding tables, which are
     * gathered) + 12·L·T·C for attention scores and mixing (forward and backward), against the matmul peak.
     */
    static void training() {
        String text = MobyDick.training();
        BytePairEncoding tokenizer = BytePairEncoding.train(text.substring(0, 300_000), 1024);
        int[] tokens = tokenizer.encode(text.substring(0, 300_000));
        GptConfig config = GptConfig.small(1024);
        int batch = 32;
        int warmup = 5;
        int timed = Integer.getInteger("bench.trainSteps", 20);
        double peak = MatmulPeak.gflops(1024, 0, 2.0);             // TensorFlow's shared pool, as training uses
        try (GptTraining training = new GptTraining(config, 1, 0.1f, 1f)) {
            Random random = new Random(1);
            long start = 0;
            for (int step = 1; step <= warmup + timed; step++) {
                if (step == warmup + 1) {
                    start = System.nanoTime();
                }
                int[][] x = new int[batch][config.context()];
                int[][] y = new int[batch][config.context()];
                for (int b = 0; b < batch; b++) {
                    int at = random.nextInt(tokens.length - config.context() - 1);
                    System.arraycopy(tokens, at, x[b], 0, config.context());
                    System.arraycopy(tokens, at + 1, y[b], 0, config.context());
                }
                training.step(x, y, 1e-3f, step);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double tokensPerSecond = (double) timed * batch * config.context() / seconds;
            long matmulParameters = config.parameterCount() - (long) config.vocabulary() * config.width()
                    - (long) config.context() * config.width();
            double flopsPerToken = 6.0 * matmulParameters + 12.0 * config.layers() * config.context() * config.width();
            double achieved = tokensPerSecond * flopsPerToken / 1e9;
            System.out.printf("training (batch %d × %d, TF_XLA_FLAGS=%s): %.0f ms per step, %.0f tokens/s, "
                    + "%.1f GFLOP/s of model FLOPs%n", batch, config.context(), System.getenv("TF_XLA_FLAGS"),
                    1000 * seconds / timed, tokensPerSecond, achieved);
            System.out.printf("matmul peak (1024², same process): %.1f GFLOP/s → model FLOP utilisation %.1f %%%n",
                    peak, 100 * achieved / peak);
        }
    }
}
