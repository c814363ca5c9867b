package dev.deepscope.mnist;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared digit data: the official sets and their split, and the distortions training draws from. */
class MnistDataTest {

    private static OfficialMnist.TrainingSplit digits;

    @BeforeAll
    static void load() {
        digits = OfficialMnist.training(OfficialMnist.TRAINING_DIR);
    }

    @Test
    void augmentationKeepsTheInkAndMovesIt() {
        float[] digit = digits.training().get(0).pixels();
        float[] moved = new DigitAugmentation(12, 0.1, 2).distort(digit, new Random(1));
        assertThat(moved).hasSize(784).isNotEqualTo(digit);
        assertThat(sum(moved)).isBetween(0.7 * sum(digit), 1.3 * sum(digit));
        assertThat(DigitAugmentation.NONE.distort(digit, new Random(1))).isSameAs(digit);
    }

    @Test
    void strokesGetBolderOrThinnerAndElasticDistortionMovesInk() {
        float[] digit = digits.training().get(0).pixels();
        assertThat(sum(DigitAugmentation.restroke(digit, 1))).isGreaterThan(1.3 * sum(digit));
        assertThat(sum(DigitAugmentation.restroke(digit, -1))).isLessThan(0.7 * sum(digit));
        float[] elastic = new DigitAugmentation(0, 0, 0, 0, 20, 4).distort(digit, new Random(3));
        assertThat(elastic).isNotEqualTo(digit);
        assertThat(sum(elastic)).isBetween(0.7 * sum(digit), 1.3 * sum(digit));
    }

    @Test
    void theOfficialSetsAreWholeAndTheValidationSplitIsApart() {
        assertThat(OfficialMnist.test()).hasSize(10_000);
        assertThat(OfficialMnist.test().stream().mapToInt(LabelledDigit::label).distinct().count()).isEqualTo(10);
        assertThat(digits.training()).hasSize(55_000);
        assertThat(digits.validation()).hasSize(5_000);
        assertThat(OfficialMnist.isValidation(11)).isTrue();
        assertThat(OfficialMnist.isValidation(12)).isFalse();
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
