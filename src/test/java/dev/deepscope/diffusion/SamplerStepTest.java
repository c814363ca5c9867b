package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sampler's update rule against DDPM's own formulas (no network needed: ε is given). */
class SamplerStepTest {

    final NoiseSchedule s = NoiseSchedule.LINEAR;

    @Test
    void withEtaOneOnTheFullScheduleTheStepIsDdpmsPosterior() {
        Random random = new Random(3);
        for (int t : new int[] {1, 10, 250, 500, 999}) {
            float[] x = gaussian(random, 16);
            float[] eps = gaussian(random, 16);
            float[] z = gaussian(random, 16);
            float[] x0 = new float[16];
            float[] mean = Sampler.step(x, eps, new float[16], s.alphaBar[t], s.alphaBar[t - 1], 1, false, x0);
            float[] withNoise = Sampler.step(x, eps, z, s.alphaBar[t], s.alphaBar[t - 1], 1, false, x0);
            // μ = (x_t − β_t/√(1−ᾱ_t)·ε)/√α_t and σ² = β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t
            double sigma = Math.sqrt((1 - s.alphaBar[t - 1]) / (1 - s.alphaBar[t]) * s.beta[t]);
            for (int j = 0; j < 16; j++) {
                double ddpmMean = (x[j] - s.beta[t] / s.sqrtOneMinusAlphaBar[t] * eps[j]) / Math.sqrt(s.alpha[t]);
                assertThat((double) mean[j]).isCloseTo(ddpmMean, offset(1e-4));
                assertThat((double) withNoise[j] - mean[j]).isCloseTo(sigma * z[j], offset(1e-5));
            }
        }
    }

    @Test
    void ddimOnTheFullScheduleStaysWithinOrderBetaOfDdpmsMean() {
        // DDIM (η = 0) keeps the whole √(1−ᾱ_{t−1}) of ε̂ as direction; DDPM's mean keeps √(1−ᾱ_{t−1}−β̃_t).
        // The two means differ by O(β̃_t/√(1−ᾱ_{t−1})), small for every t > a few steps.
        Random random = new Random(5);
        for (int t = 20; t < NoiseSchedule.T; t += 37) {
            float[] x = gaussian(random, 16);
            float[] eps = gaussian(random, 16);
            float[] ddim = Sampler.step(x, eps, new float[16], s.alphaBar[t], s.alphaBar[t - 1], 0, false, new float[16]);
            float[] ddpm = Sampler.step(x, eps, new float[16], s.alphaBar[t], s.alphaBar[t - 1], 1, false, new float[16]);
            double betaTilde = (1 - s.alphaBar[t - 1]) / (1 - s.alphaBar[t]) * s.beta[t];
            double bound = betaTilde / Math.sqrt(1 - s.alphaBar[t - 1]);
            for (int j = 0; j < 16; j++) {
                assertThat((double) Math.abs(ddim[j] - ddpm[j])).isLessThanOrEqualTo(bound * Math.abs(eps[j]) + 1e-5);
            }
        }
    }

    @Test
    void theLastStepReturnsThePredictedCleanImage() {
        float[] x = {0.3f, -0.2f};
        float[] eps = {0.5f, 1.0f};
        float[] x0 = new float[2];
        float[] out = Sampler.step(x, eps, new float[2], s.alphaBar[0], 1.0, 0, false, x0);
        assertThat(out).containsExactly(x0);
        assertThat((double) x0[0]).isCloseTo((0.3 - s.sqrtOneMinusAlphaBar[0] * 0.5) / s.sqrtAlphaBar[0], offset(1e-6));
    }

    @Test
    void clampingKeepsThePredictionInRangeAndTheStepConsistent() {
        float[] x0 = new float[1];
        float[] out = Sampler.step(new float[] {0.9f}, new float[] {-3f}, new float[1], s.alphaBar[500], s.alphaBar[499],
                0, true, x0);
        assertThat(x0[0]).isEqualTo(1f);
        // ε recomputed from the clamped x̂₀: x_prev = √ᾱ_prev·x̂₀ + √(1−ᾱ_prev)·(x_t − √ᾱ_t·x̂₀)/√(1−ᾱ_t)
        double e = (0.9 - s.sqrtAlphaBar[500]) / s.sqrtOneMinusAlphaBar[500];
        assertThat((double) out[0]).isCloseTo(s.sqrtAlphaBar[499] + s.sqrtOneMinusAlphaBar[499] * e, offset(1e-5));
    }

    @Test
    void timestepsCoverTheScheduleEvenlyAndEndAtTheLast() {
        assertThat(Sampler.timesteps(1)).containsExactly(999);
        assertThat(Sampler.timesteps(4)).containsExactly(249, 499, 749, 999);
        int[] all = Sampler.timesteps(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(all[i]).isEqualTo(i);
        }
    }

    @Test
    void guidanceExtrapolatesFromUnconditionalThroughConditional() {
        float[][] cond = {{1f, 2f}};
        float[][] uncond = {{0.5f, 4f}};
        assertThat(Sampler.guide(cond, uncond, 0)[0]).containsExactly(1f, 2f);
        // (w+1)·ε_c − w·ε_u at w = 3
        assertThat(Sampler.guide(cond, uncond, 3)[0]).containsExactly(2.5f, -4f);
    }

    static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        Sampler.fillGaussian(v, random);
        return v;
    }
}
