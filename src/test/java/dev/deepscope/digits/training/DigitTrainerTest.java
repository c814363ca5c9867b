package dev.deepscope.digits.training;

import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.mnist.OfficialMnist;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Short training runs of each architecture: the cost falls and the network gets better than chance. */
class DigitTrainerTest {

    private static OfficialMnist.TrainingSplit digits;

    @BeforeAll
    static void load() {
        digits = OfficialMnist.training(OfficialMnist.TRAINING_DIR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-sigmoid", "mlp-relu", "cnn"})
    void costFallsWithinAFewHundredSteps(String name) {
        DigitArchitecture architecture = DigitArchitecture.named(name).orElseThrow();
        DigitTrainer.Plan plan = DigitTrainer.Plan.shipped(architecture).withEpochs(3, 0).withMaxSteps(250);
        try (DigitNetwork network = DigitNetwork.forTraining(architecture, 7, plan.learningRate(), plan.dropout())) {
            DigitTrainer.Outcome outcome = DigitTrainer.train(network, plan, digits.training(),
                    digits.validation().subList(0, 1000), e -> { });
            List<Float> costs = outcome.costs();
            assertThat(outcome.steps()).isEqualTo(250);
            assertThat(mean(costs.subList(230, 250))).isLessThan(0.85 * mean(costs.subList(0, 20)));
            assertThat(outcome.validationAccuracy()).isGreaterThan(0.5);
        }
    }

    @org.junit.jupiter.api.Test
    void theSameSeedStartsFromTheSameWeights() {
        DigitArchitecture mlp = DigitArchitecture.named("mlp-sigmoid").orElseThrow();
        try (DigitNetwork a = DigitNetwork.forTraining(mlp, 42, 1e-3f);
             DigitNetwork b = DigitNetwork.forTraining(mlp, 42, 1e-3f);
             DigitNetwork c = DigitNetwork.forTraining(mlp, 43, 1e-3f)) {
            float[] digit = digits.validation().get(0).pixels();
            assertThat(a.forward(digit).probabilities()).containsExactly(b.forward(digit).probabilities());
            assertThat(a.forward(digit).probabilities()).isNotEqualTo(c.forward(digit).probabilities());
        }
    }

    @org.junit.jupiter.api.Test
    void trainingResumesFromACheckpointWithTheSameWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        DigitArchitecture mlp = DigitArchitecture.named("mlp-relu").orElseThrow();
        float[] digit = digits.validation().get(0).pixels();
        try (DigitNetwork a = DigitNetwork.forTraining(mlp, 5, 1e-3f)) {
            a.save(dir);
            try (DigitNetwork b = DigitNetwork.resumeTraining(mlp, dir, 1e-4f, 0)) {
                assertThat(b.forward(digit).probabilities()).containsExactly(a.forward(digit).probabilities());
            }
        }
    }

    /** Dropout acts in training steps only: scoring the training graph and the served one agree exactly. */
    @org.junit.jupiter.api.Test
    void theCnnsDropoutNeverReachesItsAnswers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        DigitArchitecture cnn = DigitArchitecture.named("cnn").orElseThrow();
        DigitTrainer.Plan plan = DigitTrainer.Plan.shipped(cnn).withEpochs(1, 0).withMaxSteps(20).withDropout(0.25f);
        float[][] batch = digits.validation().subList(0, 8).stream().map(d -> d.pixels()).toArray(float[][]::new);
        try (DigitNetwork training = DigitNetwork.forTraining(cnn, 7, plan.learningRate(), plan.dropout())) {
            DigitTrainer.train(training, plan, digits.training(), digits.validation().subList(0, 10), e -> { });
            float[][] once = training.probabilities(batch);
            assertThat(training.probabilities(batch)).isDeepEqualTo(once);
            training.save(dir);
            try (DigitNetwork served = DigitNetwork.restore(cnn, dir)) {
                float[][] servedAnswer = served.probabilities(batch);
                for (int i = 0; i < batch.length; i++) {
                    assertThat(servedAnswer[i]).containsExactly(once[i], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
