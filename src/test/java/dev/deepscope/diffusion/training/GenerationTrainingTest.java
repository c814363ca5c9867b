package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.PixelSpace;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetArchitecture;
import dev.deepscope.engine.diffusion.UNetModel;
import dev.deepscope.engine.diffusion.VaeModel;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.MnistDigits;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Short training runs of every chapter-4 model: each loss falls. The shipped runs are just longer. */
class GenerationTrainingTest {

    private static MnistDigits digits;

    @BeforeAll
    static void load() {
        digits = MnistDigits.load();
    }

    @Test
    void clipsContrastiveLossFalls() {
        ClipTrainer.Plan plan = ClipTrainer.Plan.shipped().withSteps(40);
        try (ClipModel clip = ClipModel.forTraining(7, plan.learningRate())) {
            CaptionedDigits captioned = CaptionedDigits.of(java.util.stream.IntStream.range(0, 3000)
                    .mapToObj(i -> digits.training().get(i * 3)).toList(), 7);   // every digit (the data is sorted)
            ClipTrainer.Outcome outcome = ClipTrainer.train(clip, new ClipTrainer.Plan(7, 40, 64, plan.learningRate()),
                    captioned, digits.validation(), p -> { });
            assertThat(mean(outcome.losses().subList(35, 40))).isLessThan(0.9 * mean(outcome.losses().subList(0, 5)));
        }
    }

    @Test
    void vaesNegativeElboFalls() {
        try (VaeModel vae = VaeModel.forTraining(7, 2e-3f)) {
            VaeTrainer.Outcome outcome = VaeTrainer.train(vae, new VaeTrainer.Plan(7, 40, 32, 2e-3f), digits, p -> { });
            assertThat(mean(outcome.losses().subList(35, 40))).isLessThan(0.7 * mean(outcome.losses().subList(0, 5)));
            assertThat(outcome.latentStd()).isPositive();
        }
    }

    @Test
    void theUNetsNoisePredictionLossFallsForBothSpaces() {
        // 500 digits of every kind (the npm data is sorted by digit), captioned: 1,000 images with the distorted copies
        List<LabelledDigit> some = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> digits.training().get(i * 18)).toList();
        CaptionedDigits captioned = CaptionedDigits.of(some, 7);
        float[][] pixels = captioned.pixels().toArray(float[][]::new);
        try (ClipModel clip = ClipModel.forTraining(3, 1e-3f)) {
            for (UNetArchitecture architecture : List.of(UNetArchitecture.PIXEL, UNetArchitecture.LATENT)) {
                float[][] examples = architecture == UNetArchitecture.PIXEL ? PixelSpace.toModel(pixels)
                        : randomLatents(pixels.length, architecture.size());
                var plan = new DiffusionTrainer.Plan(architecture, 7, 30, 16, 1e-3f, 0.15, 0.9);
                try (UNetModel unet = UNetModel.forTraining(architecture, 7, plan.learningRate())) {
                    List<Float> losses = DiffusionTrainer.train(unet, plan, examples, captioned, clip, p -> { });
                    // an untrained U-Net's ε̂ is far from ε (loss ≈ 1 or more); a few steps cut that a lot
                    assertThat(mean(losses.subList(25, 30))).as(architecture.name())
                            .isLessThan(0.8 * mean(losses.subList(0, 5)));
                }
            }
        }
    }

    @Test
    void theDistortedCopiesAreAsBrightAsTheirOriginalsSoThinNeverMeansFaint() {
        List<LabelledDigit> some = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> digits.training().get(i * 9)).toList();   // every digit (the data is sorted)
        CaptionedDigits captioned = CaptionedDigits.of(some, 7);
        int thin = 0;
        for (int i = 0; i < some.size(); i++) {
            float[] copy = captioned.pixels().get(some.size() + i);
            assertThat(peak(copy)).as("copy %d", i).isCloseTo(peak(some.get(i).pixels()), within(1e-5f));
            thin += captioned.levels()[some.size() + i][dev.deepscope.diffusion.DigitProperties.Property.THICKNESS.ordinal()]
                    == dev.deepscope.diffusion.PropertyScale.LOW ? 1 : 0;
        }
        assertThat(thin).as("thin-captioned copies").isGreaterThan(some.size() / 5);
    }

    private static float peak(float[] pixels) {
        float max = 0;
        for (float p : pixels) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** Stand-in latents with structure (a digit-like smooth ramp plus noise), so there is something to learn. */
    private static float[][] randomLatents(int n, int size) {
        java.util.Random random = new java.util.Random(1);
        float[][] out = new float[n][size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                out[i][j] = (float) (Math.sin(j * 0.3) + 0.1 * random.nextGaussian());
            }
        }
        return out;
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
