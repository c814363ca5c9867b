package dev.deepscope.digits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The checkpoints in the repo load, match their manifests, and reach their targets on digits they never saw. */
class ShippedModelsTest {

    private static MnistDigits digits;

    @BeforeAll
    static void load() {
        digits = MnistDigits.load();
    }

    @ParameterizedTest
    @CsvSource({"mlp-sigmoid, 0.93", "mlp-relu, 0.93", "cnn, 0.98"})
    void reachesItsTargetOnTheHeldOutDigits(String name, double target) {
        DigitArchitecture architecture = DigitArchitecture.named(name).orElseThrow();
        JsonNode manifest = ModelManifest.read(architecture.resourceDir());
        Path dir = Checkpoint.extract(architecture.resourceDir());
        Checkpoint.sha256(dir).forEach((file, sum) ->
                assertThat(manifest.path("sha256").path(file).asString()).as(file).isEqualTo(sum));

        try (DigitNetwork network = DigitNetwork.restore(architecture, dir)) {
            double accuracy = DigitTrainer.accuracy(network, digits.validation());
            assertThat(accuracy).as(name + " accuracy on " + digits.validation().size() + " held-out digits")
                    .isGreaterThanOrEqualTo(target);
            // the manifest tells the truth about the checkpoint it describes (to within 3 digits of 997)
            assertThat(accuracy).isCloseTo(manifest.path("metrics").path("validationAccuracy").asDouble(),
                    org.assertj.core.data.Offset.offset(0.0035));
            assertThat(manifest.path("parameters").asLong()).isEqualTo(network.parameterCount());
        }
    }

    @org.junit.jupiter.api.Test
    void theSplitKeepsEveryTenthDigitOut() {
        assertThat(digits.training().size() + digits.validation().size()).isEqualTo(10_000);
        assertThat(digits.validation()).hasSizeBetween(990, 1010);
        assertThat(MnistDigits.isHeldOut(9)).isTrue();
        assertThat(MnistDigits.isHeldOut(10)).isFalse();
    }
}
