package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the page is told about one generated token (numbers to 4 significant digits): its probability
 * p = softmax(logits)[id] at T = 1, the ten most likely alternatives, and, from the forward pass that chose it,
 * the residual stream's norm after each block, the logit lens's best guesses per layer and the MLP neurons that
 * fired most.
 */
final class TokenReport {

    /** A candidate token, shown by its label (see {@link BytePairEncoding#tokenLabel}), and its probability. */
    record Alternative(int id, String label, double p) {
    }

    /** The lens after the embedding (layer 0) or after block l (layer l + 1): its top tokens. */
    record LensLayer(int layer, List<Alternative> top) {
    }

    record Neuron(int index, double activation) {
    }

    record NeuronLayer(int layer, List<Neuron> top) {
    }

    /**
     * The token written at {@code index}: {@code text} holds the characters it completes (the generated text is
     * these joined; empty when the token ends inside a character) and {@code label} the token alone.
     */
    record TokenEvent(int index, int id, String text, String label, double p, List<Alternative> top, double[] residualNorms,
                      List<LensLayer> logitLens, List<NeuronLayer> neurons) {
    }

    /**
     * The token's attention, every layer and head in one event. Of the {@code keys} tokens it read (ending with
     * the token read at this step) the last {@code weights[r].length} ≤ {@link #ATTENTION_KEYS} are sent one by
     * one and the earlier ones as one sum, {@code earlier[r]}; all as integers of 1/{@code scale}: w ≈ q / scale.
     * Row r is layer r / heads, head r % heads. Per-mille, because the page shows a weight to three decimals:
     * the rounded weight is the very number its cell's hover shows, and its colour moves by at most 0.05 %.
     */
    record AttentionEvent(int index, int keys, int heads, int scale, int[][] weights, int[] earlier) {
    }

    /** Attention weights are sent in thousandths (see {@link AttentionEvent}). */
    static final int ATTENTION_SCALE = 1000;

    /**
     * The most recent keys sent one by one: the page's attention grid has 24 columns (text-step.js KEYS), so
     * more would be stored but never shown. 16 heads × 24 small integers keep a token's attention near 1 KB
     * rather than 16 × 128 decimals (~13 KB), so a 512-token run stores under 2 MB.
     */
    static final int ATTENTION_KEYS = 24;

    private TokenReport() {
    }

    /** The report of {@code token}, whose bytes completed the characters {@code text}. */
    static TokenEvent token(DecodingLoop.Token token, String text, BytePairEncoding tokenizer) {
        float[] p = Sampler.softmax(token.logits(), 1);
        GptModel.Inspection inspection = token.inspection();
        double[] norms = null;
        List<LensLayer> lens = List.of();
        List<NeuronLayer> neurons = List.of();
        if (inspection != null) {
            norms = new double[inspection.residualNorms().length];
            for (int l = 0; l < norms.length; l++) {
                norms[l] = significant(inspection.residualNorms()[l]);
            }
            lens = new ArrayList<>();
            for (int l = 0; l < inspection.logitLens().length; l++) {
                lens.add(new LensLayer(l, top(Sampler.softmax(inspection.logitLens()[l], 1), 3, tokenizer)));
            }
            neurons = new ArrayList<>();
            for (int l = 0; l < inspection.neurons().length; l++) {
                float[] a = inspection.neurons()[l];
                List<Neuron> best = new ArrayList<>();
                for (int id : Sampler.largest(a, 5)) {
                    best.add(new Neuron(id, significant(a[id])));
                }
                neurons.add(new NeuronLayer(l, best));
            }
        }
        return new TokenEvent(token.index(), token.id(), text, tokenizer.tokenLabel(token.id()), significant(p[token.id()]),
                top(p, 10, tokenizer), norms, lens, neurons);
    }

    /** The attention of {@code token}'s forward pass, [layer][head][key], in the compact form the page decodes. */
    static AttentionEvent attention(DecodingLoop.Token token) {
        float[][][] a = token.inspection().attention();
        int heads = a[0].length;
        int keys = a[0][0].length;
        int shown = Math.min(keys, ATTENTION_KEYS);
        int[][] weights = new int[a.length * heads][shown];
        int[] earlier = new int[a.length * heads];
        for (int l = 0; l < a.length; l++) {
            for (int h = 0; h < heads; h++) {
                float[] w = a[l][h];
                int row = l * heads + h;
                double rest = 0;
                for (int k = 0; k < keys - shown; k++) {
                    rest += w[k];
                }
                earlier[row] = quantized(rest);
                for (int k = 0; k < shown; k++) {
                    weights[row][k] = quantized(w[keys - shown + k]);
                }
            }
        }
        return new AttentionEvent(token.index(), keys, heads, ATTENTION_SCALE, weights, earlier);
    }

    private static int quantized(double weight) {
        return (int) Math.round(weight * ATTENTION_SCALE);
    }

    /**
     * x to 4 significant digits. Finer than anything the page shows (a p to 4 decimals, a norm to 1, an activation
     * to 2; a tiny p keeps its relative precision for the temperature view's log p), and a float widened to double
     * otherwise prints 17 digits: this keeps a token event near 1.5 KB instead of 2.5 KB.
     */
    static double significant(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return x;
        }
        // by powers of ten that doubles hold exactly, so the quotient or product is the nearest double to the
        // 4-digit decimal (what BigDecimal rounding gives, at a fraction of its cost: ~50 per token)
        int shift = 3 - (int) Math.floor(Math.log10(Math.abs(x)));
        if (shift >= 0 && shift <= 22) {
            double scale = POWERS_OF_TEN[shift];
            return Math.rint(x * scale) / scale;
        }
        if (shift < 0 && shift >= -22) {
            double scale = POWERS_OF_TEN[-shift];
            return Math.rint(x / scale) * scale;
        }
        return new BigDecimal(x).round(FOUR_DIGITS).doubleValue();
    }

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    static List<Alternative> top(float[] p, int k, BytePairEncoding tokenizer) {
        List<Alternative> top = new ArrayList<>();
        for (int id : Sampler.largest(p, k)) {
            top.add(new Alternative(id, tokenizer.tokenLabel(id), significant(p[id])));
        }
        return top;
    }
}
