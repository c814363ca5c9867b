package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {

    // probabilities at T = 1: 0.5, 0.25, 0.125, 0.0625, … (logits ln p)
    static final float[] LOGITS = new float[8];

    static {
        for (int i = 0; i < LOGITS.length; i++) {
            LOGITS[i] = (float) Math.log(Math.pow(0.5, i + 1));
        }
        LOGITS[3] += 0.01f;   // not quite sorted by id, so order comes from the values
    }

    @Test
    void temperatureZeroIsGreedy() {
        Random random = new Random(1);
        for (int n = 0; n < 50; n++) {
            assertThat(Sampler.sample(LOGITS, new Sampler.Settings(0, 0, 1), random)).isEqualTo(0);
        }
    }

    @Test
    void topKDrawsOnlyFromTheKMostLikely() {
        Set<Integer> seen = draws(new Sampler.Settings(1, 3, 1), 2000);
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2);
        float[] p = Sampler.distribution(LOGITS, new Sampler.Settings(1, 3, 1));
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[0] / p[1]).isCloseTo(2f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void topPKeepsTheFewestTokensReachingP() {
        // 0.5 + 0.25 = 0.75 ≥ 0.7: two tokens; 0.5 alone does not reach 0.7
        assertThat(draws(new Sampler.Settings(1, 0, 0.7), 2000)).containsExactlyInAnyOrder(0, 1);
        assertThat(draws(new Sampler.Settings(1, 0, 0.4), 200)).containsExactly(0);
        assertThat(draws(new Sampler.Settings(1, 0, 1), 20000)).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    void higherTemperatureFlattensTheDistribution() {
        double cold = entropy(Sampler.distribution(LOGITS, new Sampler.Settings(0.3, 0, 1)));
        double warm = entropy(Sampler.distribution(LOGITS, new Sampler.Settings(1, 0, 1)));
        double hot = entropy(Sampler.distribution(LOGITS, new Sampler.Settings(5, 0, 1)));
        assertThat(cold).isLessThan(warm);
        assertThat(warm).isLessThan(hot);
        assertThat(hot).isLessThanOrEqualTo(Math.log(LOGITS.length) + 1e-9);
        // the empirical frequency follows softmax(z / T)
        float[] p = Sampler.distribution(LOGITS, new Sampler.Settings(2, 0, 1));
        int[] counts = new int[LOGITS.length];
        Random random = new Random(3);
        for (int n = 0; n < 20000; n++) {
            counts[Sampler.sample(LOGITS, new Sampler.Settings(2, 0, 1), random)]++;
        }
        assertThat(counts[0] / 20000.0).isCloseTo(p[0], org.assertj.core.data.Offset.offset(0.015));
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        Sampler.Settings settings = new Sampler.Settings(1.2, 5, 0.9);
        Random a = new Random(99);
        Random b = new Random(99);
        for (int n = 0; n < 100; n++) {
            assertThat(Sampler.sample(LOGITS, settings, a)).isEqualTo(Sampler.sample(LOGITS, settings, b));
        }
    }

    @Test
    void rankingProbabilitiesAgreesWithTheGeneralRanking() {
        Random random = new Random(5);
        float[] p = new float[1024];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextInt(4) == 0 ? 0.25f : random.nextFloat();   // many ties, and zeros
        }
        p[7] = 0;
        Integer[] general = Sampler.byProbability(p);
        int[] fast = Sampler.rankProbabilities(p);
        for (int rank = 0; rank < p.length; rank++) {
            assertThat(fast[rank]).as("rank %d", rank).isEqualTo(general[rank]);
        }
    }

    @Test
    void theLargestFewAreTheFirstOfTheGeneralRanking() {
        Random random = new Random(6);
        float[] values = new float[512];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(4) == 0 ? 0.25f : (float) random.nextGaussian();   // ties, and both signs
        }
        Integer[] general = Sampler.byProbability(values);
        for (int k : new int[] {1, 3, 5, 10, 200, 512}) {
            int[] largest = Sampler.largest(values, k);
            assertThat(largest).hasSize(k);
            for (int rank = 0; rank < k; rank++) {
                assertThat(largest[rank]).as("k %d, rank %d", k, rank).isEqualTo(general[rank]);
            }
        }
    }

    private static Set<Integer> draws(Sampler.Settings settings, int n) {
        Random random = new Random(7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(Sampler.sample(LOGITS, settings, random));
        }
        return seen;
    }

    private static double entropy(float[] p) {
        double h = 0;
        for (float x : p) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return h;
    }
}
