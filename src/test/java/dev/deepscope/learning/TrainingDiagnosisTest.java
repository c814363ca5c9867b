package dev.deepscope.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The verdict on a run from its own metric points: learned, stuck or diverging, and what to try. */
class TrainingDiagnosisTest {

    private static final int[] WIDTHS = {784, 16, 16, 10};
    private static final NeuronCensus HEALTHY = new NeuronCensus(null, 0);

    @Test
    void aFallingCurveThatLevelsOffLowHasLearned() {
        TrainingDiagnosis d = diagnose(curve(100, s -> 0.08 + 2.4 * Math.exp(-s / 10.0), 0.93), HEALTHY, 3);
        assertThat(d.verdict()).isEqualTo("ok");
        assertThat(d.message()).isEqualTo("Learned: C fell from 2.4800 to 0.0801; 93 % of held-out digits right.");
    }

    @Test
    void aCurveFlatAtAHighCostIsStuckAndTheLearnerIsToldWhatToTry() {
        TrainingDiagnosis d = diagnose(curve(100, s -> s < 5 ? 2.5 - 0.3 * s : 0.9 - 0.00001 * s, 0.11), HEALTHY, 3);
        assertThat(d.verdict()).isEqualTo("stuck");
        assertThat(d.message()).startsWith("Stuck: the cost has not fallen by more than 1 % over the last 25 points")
                .contains("11 % of held-out digits right").endsWith("or another seed.");
        // a learner who set η above the default is told to lower it, and why the gradient is gone
        assertThat(diagnose(curve(100, s -> 1.0, 0.11), new NeuronCensus(new int[] {6, 9}, 10), 10).message())
                .contains("All 10 output neurons are pinned near 0 or 1").contains("15 of 32 ReLUs are dead")
                .endsWith("Try a smaller η (3 is a good start).");
    }

    @Test
    void aNetworkThatLearnedWithEveryOutputNearZeroOrOneIsCalledSureNotStuck() {
        // e.g. a learner's own two symbols, learned to 100 %: confident outputs are the goal, not a problem
        TrainingDiagnosis d = diagnose(curve(100, s -> 0.001 + 2.4 * Math.exp(-s / 5.0), 1.0), new NeuronCensus(null, 10), 3);
        assertThat(d.verdict()).isEqualTo("ok");
        assertThat(d.message()).contains("100 % of held-out digits right. Its outputs are near 0 or 1 for every digit:"
                + " it is sure of its answers").doesNotContain("pinned", "no gradient");
    }

    @Test
    void tooFewPointsToJudgeAPlateauAreNotCalledStuck() {
        assertThat(diagnose(curve(8, s -> 0.9, 0.1), HEALTHY, 3).verdict()).isEqualTo("ok");
        // …unless the outputs are pinned, which says so at once
        assertThat(diagnose(curve(8, s -> 1.0, 0.1), new NeuronCensus(null, 10), 3).verdict()).isEqualTo("stuck");
    }

    @Test
    void aLayerOfDeadRelusIsStuckWhateverTheCurveDid() {
        TrainingDiagnosis d = diagnose(curve(6, s -> 2.5 - 0.25 * s, 0.1), new NeuronCensus(new int[] {3, 16}, 0), 3);
        assertThat(d.verdict()).isEqualTo("stuck");
        assertThat(d.message()).contains("every ReLU of hidden layer 2 is dead");
        assertThat(diagnose(curve(100, s -> 0.08 + 2.4 * Math.exp(-s / 10.0), 0.93), new NeuronCensus(new int[] {3, 0}, 0), 3)
                .message()).endsWith("right. 3 of 32 ReLUs are dead (0 for every digit).");
    }

    @Test
    void aCostThatOverflowsOrClimbsIsDiverging() {
        TrainingDiagnosis nan = diagnose(curve(20, s -> s < 12 ? 2.5 - 0.1 * s : Double.NaN, 0.1), HEALTHY, 3);
        assertThat(nan.verdict()).isEqualTo("diverging");
        assertThat(nan.message()).startsWith("Diverged: at step 12 the cost became not a number").doesNotContain("NaN");
        assertThat(diagnose(curve(20, s -> s < 10 ? 2.5 : Double.POSITIVE_INFINITY, 0.1), HEALTHY, 3).message())
                .contains("became infinite");
        TrainingDiagnosis rising = diagnose(curve(40, s -> s < 20 ? 2.5 - 0.1 * s : 0.5 + 0.05 * (s - 20), 0.4), HEALTHY, 3);
        assertThat(rising.verdict()).isEqualTo("diverging");
        assertThat(rising.message()).startsWith("Diverging: the cost climbed from its lowest, C = 0.5000 at step 20");
    }

    private static TrainingDiagnosis diagnose(List<GradientDescent.Metric> metrics, NeuronCensus neurons, double eta) {
        return TrainingDiagnosis.of(metrics, neurons, WIDTHS, eta, 3);
    }

    /** Points at steps 0..n−1 with C = cost(step) and the given accuracy at the end. */
    private static List<GradientDescent.Metric> curve(int n, IntToDoubleFunction cost, double finalAccuracy) {
        List<GradientDescent.Metric> metrics = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            metrics.add(new GradientDescent.Metric(s, 32L * s, cost.applyAsDouble(s), null,
                    s == n - 1 ? finalAccuracy : 0.1, s * 0.01));
        }
        return metrics;
    }
}
