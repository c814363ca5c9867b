package dev.deepscope.text;

import dev.deepscope.engine.text.GptInside;
import java.util.ArrayList;
import java.util.List;

/**
 * The next-token distribution of a text with parts of the model switched off, beside the intact model's: two
 * forward passes of the one text, so that knocking out nothing gives exactly the intact logits (see
 * {@link GptInside#nextLogits}).
 */
final class NextTokens {

    /** A candidate next token and its probability p = softmax(logits / T) with the parts kept and knocked out. */
    record Candidate(int id, String label, double before, double after) {
    }

    /**
     * The answer to {@code POST /api/text/next}: the text's tokens, the ten likeliest next tokens of the intact
     * model ({@code before}) and of the knocked-out one ({@code after}), and how far apart the two distributions
     * are, KL(before ‖ after) in bits.
     */
    record Answer(List<TextToken> tokens, double temperature, List<Part> ablated,
                  List<Candidate> before, List<Candidate> after, double klBits) {
    }

    /** A part switched off: head {@code head} of block {@code block}, or with no head the block's MLP. */
    record Part(int block, Integer head) {

        GptInside.Knockout knockout() {
            return new GptInside.Knockout(block, head == null ? GptInside.Knockout.MLP : head);
        }
    }

    static final int TOP = 10;

    private NextTokens() {
    }

    static Answer of(List<TextToken> tokens, double temperature, List<Part> ablated, float[][] logits,
                     BytePairEncoding tokenizer) {
        float[] before = Sampler.softmax(logits[0], temperature);
        float[] after = Sampler.softmax(logits[1], temperature);
        double kl = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] > 0) {
                kl += before[i] * Math.log((double) before[i] / Math.max(after[i], Float.MIN_VALUE));
            }
        }
        return new Answer(tokens, temperature, ablated, top(before, before, after, tokenizer),
                top(after, before, after, tokenizer), Math.max(0, kl / Math.log(2)));
    }

    private static List<Candidate> top(float[] by, float[] before, float[] after, BytePairEncoding tokenizer) {
        List<Candidate> top = new ArrayList<>();
        for (int id : Sampler.largest(by, TOP)) {
            top.add(new Candidate(id, tokenizer.tokenLabel(id), TokenReport.significant(before[id]),
                    TokenReport.significant(after[id])));
        }
        return top;
    }
}
