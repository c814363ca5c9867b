package dev.deepscope.bench;

import dev.deepscope.engine.MatmulPeak;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.engine.learning.MlpShape;
import dev.deepscope.engine.learning.TrainingNetwork;
import dev.deepscope.learning.DigitData;
import java.util.List;
import java.util.Random;

/**
 * Training throughput of chapter 2's gradient descent, in examples per second, for the series' 784-16-16-10
 * network and a wide 784-256-10 one, against this machine's matmul peak measured in the same run.
 * Achieved FLOP/s counts 6 per weight per example: 2 for the forward multiply-add, 4 for backpropagation
 * (∂C/∂W and ∂C/∂a⁽ˡ⁻¹⁾). Measured with one TensorFlow thread (what a training run gets in the app) and
 * with TensorFlow's shared pool (every core). Not a test: a measurement. See README for the command.
 */
public final class TrainingBenchmark {

    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "3"));

    public static void main(String[] args) {
        DigitData data = DigitData.load();
        int all = data.training().size();
        System.out.printf("%nTraining benchmark: %d cores, %.0f s per point, sigmoid, plain gradient descent%n",
                Runtime.getRuntime().availableProcessors(), SECONDS);
        double[] peak = new double[2];
        int[] threadCounts = {1, 0};
        for (int t = 0; t < 2; t++) {
            peak[t] = MatmulPeak.gflops(1024, threadCounts[t], SECONDS);
            System.out.printf("matmul peak 1024×1024 float32, %s: %.1f GFLOP/s%n", label(threadCounts[t]), peak[t]);
        }
        for (List<Integer> hidden : List.of(List.of(16, 16), List.of(256))) {
            MlpShape shape = new MlpShape(hidden, Activation.SIGMOID);
            long weights = weights(shape);
            System.out.printf("%n%s (%,d weights)%n", shape.describe(), weights);
            for (int batch : new int[] {32, 1024, all}) {
                for (int t = 0; t < 2; t++) {
                    double perSecond = examplesPerSecond(shape, batch, threadCounts[t], data);
                    double gflops = perSecond * 6.0 * weights / 1e9;
                    System.out.printf("  m=%-5d %-22s %,10.0f examples/s  %6.2f GFLOP/s  = %5.1f %% of matmul peak%n",
                            batch, label(threadCounts[t]), perSecond, gflops, 100 * gflops / peak[t]);
                }
            }
        }
    }

    private static double examplesPerSecond(MlpShape shape, int batch, int threads, DigitData data) {
        try (TrainingNetwork network = new TrainingNetwork(MlpParameters.initial(shape, 1), data.training(),
                data.validation(), threads)) {
            network.warmUp();
            Random random = new Random(1);
            int n = data.training().size();
            int[][] batches = new int[64][batch];
            for (int[] b : batches) {
                for (int i = 0; i < batch; i++) {
                    b[i] = batch == n ? i : random.nextInt(n);
                }
            }
            long examples = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (SECONDS * 1e9);
            for (int step = 0; step < 3 || System.nanoTime() < end; step++) {
                network.step(batches[step % batches.length], 0.1f);
                examples += batch;
            }
            return examples / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static long weights(MlpShape shape) {
        int[] w = shape.widths();
        long count = 0;
        for (int l = 1; l < w.length; l++) {
            count += (long) w[l - 1] * w[l];
        }
        return count;
    }

    private static String label(int threads) {
        return threads == 1 ? "1 TensorFlow thread" : "shared pool (all cores)";
    }
}
