package dev.deepscope.text;

import dev.deepscope.engine.VectorMath;
import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from the logits, as in nanoGPT's generate: logits / temperature → keep the top k →
 * keep the smallest set whose probability reaches p (nucleus) → softmax → draw. Temperature 0 is greedy.
 *
 * <p>p_i = exp(z_i / T) / Σ_j exp(z_j / T): a high T flattens the distribution (more random), a low T
 * sharpens it towards the most likely token.
 */
public final class Sampler {

    /** How to choose; topK 0 means all tokens, topP 1 means no nucleus cut. */
    public record Settings(double temperature, int topK, double topP) {
    }

    private Sampler() {
    }

    /** softmax(z / T) with the maximum subtracted first so exp never overflows. */
    public static float[] softmax(float[] logits, double temperature) {
        float max = Float.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        float[] p = new float[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (p[i] / sum);
        }
        return p;
    }

    /** The probabilities the draw is made from, after temperature, top-k and top-p (zero outside the kept set). */
    public static float[] distribution(float[] logits, Settings settings) {
        if (settings.temperature() == 0) {
            float[] greedy = new float[logits.length];
            greedy[VectorMath.argMax(logits)] = 1;
            return greedy;
        }
        float[] p = softmax(logits, settings.temperature());
        int[] order = rankProbabilities(p);
        int keep = settings.topK() > 0 ? Math.min(settings.topK(), p.length) : p.length;
        double cumulative = 0;
        for (int rank = 0; rank < keep; rank++) {
            cumulative += p[order[rank]];
            if (cumulative >= settings.topP()) {
                keep = rank + 1;   // the nucleus: the fewest tokens whose probability reaches p
                break;
            }
        }
        float[] kept = new float[p.length];
        double sum = 0;
        for (int rank = 0; rank < keep; rank++) {
            sum += p[order[rank]];
        }
        for (int rank = 0; rank < keep; rank++) {
            kept[order[rank]] = (float) (p[order[rank]] / sum);
        }
        return kept;
    }

    /** One draw from the kept distribution using the caller's seeded random source. */
    public static int sample(float[] logits, Settings settings, Random random) {
        float[] p = distribution(logits, settings);
        if (settings.temperature() == 0) {
            return VectorMath.argMax(p);
        }
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u just above the total
    }

    /**
     * Ids of non-negative values (probabilities) from largest to smallest, ties smaller id first, by sorting
     * primitive keys (value bits, then id): the decoding loop ranks a vocabulary per text per token.
     */
    public static int[] rankProbabilities(float[] p) {
        int n = p.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // for x ≥ 0 the IEEE bits order like the values; the low half puts smaller ids later, i.e. first below
            keys[i] = ((long) Float.floatToIntBits(p[i]) << 32) | (n - 1 - i);
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int rank = 0; rank < n; rank++) {
            order[rank] = n - 1 - (int) (keys[n - 1 - rank] & 0xFFFFFFFFL);
        }
        return order;
    }

    /**
     * The ids of the {@code k} largest values of any sign, largest first (ties: the smaller id first), as the
     * first k of {@link #byProbability}, in one pass with an insertion into k places: a token's report takes
     * the top few of a vocabulary or a layer's neurons many times per token, where sorting them all costs 10×.
     */
    public static int[] largest(float[] values, int k) {
        int n = Math.min(k, values.length);
        int[] ids = new int[n];
        int kept = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (kept == n && !(v > values[ids[n - 1]])) {
                continue;                      // not above the smallest kept (a tie keeps the earlier id)
            }
            int at = kept < n ? kept++ : n - 1;
            while (at > 0 && v > values[ids[at - 1]]) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
        }
        return ids;
    }

    /** Ids from largest to smallest value of any sign (ties: the smaller id first). */
    public static Integer[] byProbability(float[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        return order;
    }
}
