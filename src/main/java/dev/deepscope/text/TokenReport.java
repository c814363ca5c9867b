package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What the page is told about one generated token: its probability p = softmax(logits)[id] at T = 1, the ten
 * most likely alternatives, and, from the forward pass that chose it, the residual stream's norm after each
 * block, the logit lens's best guesses per layer and the MLP neurons that fired most.
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
     * One head's attention for the token: weights over the last keys.length tokens, ending at the token read,
     * rounded to 1/{@link #ATTENTION_SCALE} (a 512-token run sends 8,192 of these, and a float in full takes
     * about twice the characters in JSON).
     */
    record AttentionEvent(int index, int layer, int head, float[] weights) {
    }

    /** Attention weights are sent to 1e-4: far finer than a heat map shows, and short in JSON ("0.0123"). */
    static final int ATTENTION_SCALE = 10_000;

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
                norms[l] = inspection.residualNorms()[l];
            }
            lens = new ArrayList<>();
            for (int l = 0; l < inspection.logitLens().length; l++) {
                lens.add(new LensLayer(l, top(Sampler.softmax(inspection.logitLens()[l], 1), 3, tokenizer)));
            }
            neurons = new ArrayList<>();
            for (int l = 0; l < inspection.neurons().length; l++) {
                float[] a = inspection.neurons()[l];
                Integer[] order = Sampler.byProbability(a);
                List<Neuron> best = new ArrayList<>();
                for (int rank = 0; rank < 5; rank++) {
                    best.add(new Neuron(order[rank], a[order[rank]]));
                }
                neurons.add(new NeuronLayer(l, best));
            }
        }
        return new TokenEvent(token.index(), token.id(), text, tokenizer.tokenLabel(token.id()), p[token.id()],
                top(p, 10, tokenizer), norms, lens, neurons);
    }

    static List<AttentionEvent> attention(DecodingLoop.Token token) {
        List<AttentionEvent> events = new ArrayList<>();
        float[][][] a = token.inspection().attention();
        for (int l = 0; l < a.length; l++) {
            for (int h = 0; h < a[l].length; h++) {
                events.add(new AttentionEvent(token.index(), l, h, rounded(a[l][h])));
            }
        }
        return events;
    }

    private static float[] rounded(float[] weights) {
        float[] out = new float[weights.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.round(weights[k] * ATTENTION_SCALE) / (float) ATTENTION_SCALE;
        }
        return out;
    }

    static List<Alternative> top(float[] p, int k, BytePairEncoding tokenizer) {
        int[] order = Sampler.rankProbabilities(p);
        List<Alternative> top = new ArrayList<>();
        for (int rank = 0; rank < Math.min(k, p.length); rank++) {
            top.add(new Alternative(order[rank], tokenizer.tokenLabel(order[rank]), p[order[rank]]));
        }
        return top;
    }
}
