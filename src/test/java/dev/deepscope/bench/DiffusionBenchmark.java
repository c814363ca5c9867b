package dev.deepscope.bench;

import dev.deepscope.diffusion.Recipe;
import dev.deepscope.diffusion.Generation;
import dev.deepscope.diffusion.GenerationModels;
import dev.deepscope.diffusion.Space;
import dev.deepscope.diffusion.training.DiffusionTrainer;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.MatmulPeak;
import dev.deepscope.engine.diffusion.UNetArchitecture;
import dev.deepscope.engine.diffusion.UNetModel;
import dev.deepscope.mnist.MnistDigits;
import java.util.List;

/**
 * Chapter 4's speed, in process on the shipped models: time per denoising step with and without
 * classifier-free guidance (and their ratio), pixel vs latent images per second at equal steps, and
 * U-Net training throughput against a matmul peak measured in the same run. Not a test: a measurement
 * (see README for the command). On a shared CPU, run it when nothing else is busy.
 */
public final class DiffusionBenchmark {

    private static final int STEPS = 50;

    public static void main(String[] args) {
        int repeats = Integer.getInteger("bench.repeats", 3);
        System.out.printf("Diffusion benchmark: %d cores, %s CPU kernels, %d DDIM steps per image, best of %d%n",
                Runtime.getRuntime().availableProcessors(), Devices.cpuKernels(), STEPS, repeats);
        try (GenerationModels models = new GenerationModels()) {
            Generation generation = new Generation(models);
            for (Space space : Space.values()) {
                String name = space.name().toLowerCase();
                double unguided = best(repeats, () -> generation.generate(params(0.0, space, 1)).seconds()) / STEPS;
                double guided = best(repeats, () -> generation.generate(params(3.0, space, 1)).seconds()) / STEPS;
                System.out.printf("%-6s one image: %.2f ms per step without guidance, %.2f ms with (ratio %.2f; "
                        + "the guided call runs a batch of 2)%n", name, 1e3 * unguided, 1e3 * guided, guided / unguided);
            }
            for (int count : new int[] {1, 16, 64}) {
                double[] perSecond = new double[2];
                for (Space space : Space.values()) {
                    double seconds = best(repeats, () -> generation.generate(params(3.0, space, count)).seconds());
                    perSecond[space.ordinal()] = count / seconds;
                }
                System.out.printf("batch %2d, guidance 3: pixel %.2f images/s, latent %.2f images/s (latent ×%.2f)%n",
                        count, perSecond[0], perSecond[1], perSecond[1] / perSecond[0]);
            }
        }
        trainingThroughput();
    }

    /** Training steps of each U-Net, in FLOP/s (≈ 3 × forward: backward costs about twice the forward), vs the peak. */
    private static void trainingThroughput() {
        MnistDigits digits = MnistDigits.load();
        // 500 digits and their distorted copies, captioned as the trainer captions them
        var captioned = dev.deepscope.diffusion.training.CaptionedDigits.of(digits.training().subList(0, 500), 1);
        float[][] pixels = captioned.pixels().toArray(float[][]::new);
        double peak = MatmulPeak.gflops(1024, 0, 3);
        System.out.printf("matmul peak (1024×1024 float, this run): %.1f GFLOP/s%n", peak);
        try (var clip = dev.deepscope.engine.clip.ClipModel.forTraining(1, 1e-3f)) {
            for (UNetArchitecture architecture : List.of(UNetArchitecture.PIXEL, UNetArchitecture.LATENT)) {
                DiffusionTrainer.Plan shipped = DiffusionTrainer.Plan.shipped(architecture);
                float[][] examples = new float[pixels.length][architecture.size()];
                if (architecture == UNetArchitecture.PIXEL) {
                    for (int i = 0; i < pixels.length; i++) {
                        for (int j = 0; j < 784; j++) {
                            examples[i][j] = 2 * pixels[i][j] - 1;
                        }
                    }
                }
                int steps = architecture == UNetArchitecture.PIXEL ? 30 : 60;
                try (UNetModel unet = UNetModel.forTraining(architecture, 1, shipped.learningRate())) {
                    DiffusionTrainer.train(unet, shipped.withSteps(5), examples, captioned, clip, p -> { });  // warm up
                    long start = System.nanoTime();
                    DiffusionTrainer.train(unet, shipped.withSteps(steps), examples, captioned, clip, p -> { });
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double imagesPerSecond = steps * shipped.batchSize() / seconds;
                    double gflops = imagesPerSecond * 3.0 * unet.forwardFlopsPerExample() / 1e9;
                    System.out.printf("%s training: batch %d, %.0f ms/step, %.0f images/s, %.1f MFLOP forward per image,"
                                    + " ≈ %.1f GFLOP/s = %.0f %% of the matmul peak%n", architecture.name(),
                            shipped.batchSize(), 1e3 * seconds / steps, imagesPerSecond,
                            unet.forwardFlopsPerExample() / 1e6, gflops, 100 * gflops / peak);
                }
            }
        }
    }

    private static Recipe params(double guidance, Space space, int count) {
        return Recipe.digit(7, space, guidance, STEPS, 1L, count);
    }

    interface Timed {
        double seconds();
    }

    private static double best(int repeats, Timed run) {
        run.seconds();    // warm up
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            best = Math.min(best, run.seconds());
        }
        return best;
    }
}
