package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forward shortcut x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε against iterating x_t = √α_t·x_{t−1} + √β_t·ε. */
class NoiseScheduleTest {

    final NoiseSchedule schedule = NoiseSchedule.LINEAR;

    @Test
    void theNamedTermsFollowFromBeta() {
        assertThat(schedule.beta[0]).isCloseTo(1e-4, offset(1e-12));
        assertThat(schedule.beta[NoiseSchedule.T - 1]).isCloseTo(0.02, offset(1e-12));
        double product = 1;
        for (int t = 0; t < NoiseSchedule.T; t++) {
            product *= 1 - schedule.beta[t];
            assertThat(schedule.alphaBar[t]).isCloseTo(product, offset(1e-15));
            assertThat(schedule.sqrtAlphaBar[t] * schedule.sqrtAlphaBar[t]).isCloseTo(product, offset(1e-12));
            assertThat(schedule.sqrtOneMinusAlphaBar[t] * schedule.sqrtOneMinusAlphaBar[t]).isCloseTo(1 - product, offset(1e-12));
        }
        // by the last step almost nothing of x₀ is left
        assertThat(schedule.alphaBar[NoiseSchedule.T - 1]).isLessThan(1e-4);
    }

    @Test
    void iteratingOneStepKeepsExactlyTheShortcutsSignalAndVariance() {
        // signal: one-step with ε = 0, t+1 times, scales x₀ by Π√α_s = √ᾱ_t;
        // variance: v_t = α_t·v_{t−1} + β_t from v = 0 gives 1 − ᾱ_t
        float[] x = {1f, -0.5f, 0.25f};
        float[] zero = new float[3];
        double variance = 0;
        for (int t = 0; t < NoiseSchedule.T; t++) {
            x = schedule.forwardStep(x, zero, t);
            variance = schedule.alpha[t] * variance + schedule.beta[t];
            float[] shortcut = schedule.noisy(new float[] {1f, -0.5f, 0.25f}, zero, t);
            for (int i = 0; i < 3; i++) {
                assertThat((double) x[i]).isCloseTo(shortcut[i], offset(2e-5));
            }
            assertThat(variance).isCloseTo(1 - schedule.alphaBar[t], offset(1e-9));
        }
    }

    @Test
    void sampledTrajectoriesMatchTheShortcutsDistribution() {
        Random random = new Random(7);
        int n = 20000;
        int[] checkpoints = {9, 299, 999};
        double[][] sums = new double[checkpoints.length][2];
        for (int k = 0; k < n; k++) {
            float[] x = {0.8f};
            int c = 0;
            for (int t = 0; t <= 999; t++) {
                x = schedule.forwardStep(x, new float[] {(float) random.nextGaussian()}, t);
                if (t == checkpoints[c]) {
                    sums[c][0] += x[0];
                    sums[c][1] += x[0] * x[0];
                    c = Math.min(c + 1, checkpoints.length - 1);
                }
            }
        }
        for (int c = 0; c < checkpoints.length; c++) {
            int t = checkpoints[c];
            double mean = sums[c][0] / n;
            double variance = sums[c][1] / n - mean * mean;
            double sd = Math.sqrt(1 - schedule.alphaBar[t]);
            // 5 standard errors of a mean and of a variance estimate
            assertThat(mean).isCloseTo(0.8 * schedule.sqrtAlphaBar[t], offset(5 * sd / Math.sqrt(n)));
            assertThat(variance).isCloseTo(1 - schedule.alphaBar[t],
                    offset(5 * Math.sqrt(2.0 / n) * (1 - schedule.alphaBar[t])));
        }
    }
}
