package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import java.util.ArrayList;
import java.util.List;

/**
 * How surprised the model is by each token of a text: −log₂ p(token | the text before it), in bits.
 * Texts longer than the context are read in overlapping windows of T tokens moved by T/2, so every token
 * after the first window is predicted from at least T/2 tokens before it.
 */
public final class Surprisal {

    /** Each token's id and bits; totals per token and per character of the text. */
    public record Scored(int[] ids, double[] bits, double bitsPerToken, double bitsPerChar, int characters) {
    }

    private static final int WINDOWS_PER_BATCH = 16;

    private Surprisal() {
    }

    /**
     * The first token has nothing before it and the model has no start symbol, so it is charged
     * log₂ V bits, as if guessed uniformly.
     */
    public static Scored score(GptModel model, BytePairEncoding tokenizer, String text) {
        return score(model, tokenizer.encode(text), text.codePointCount(0, text.length()));
    }

    /**
     * As {@link #score(GptModel, BytePairEncoding, String)} for a text already cut into tokens by any tokenizer
     * (a character-level one too), {@code characters} being the text's length in code points.
     */
    public static Scored score(GptModel model, int[] ids, int characters) {
        int n = ids.length;
        double[] bits = new double[n];
        if (n == 0) {
            return new Scored(ids, bits, 0, 0, characters);
        }
        int context = model.config().context();
        bits[0] = log2(model.config().vocabulary());
        List<int[]> windows = new ArrayList<>();                  // {start, first scored position}
        if (n <= context) {
            windows.add(new int[] {0, 1});
        } else {
            int scoredUpTo = 1;
            for (int start = 0; scoredUpTo < n; start = Math.min(start + context / 2, n - context)) {
                windows.add(new int[] {start, scoredUpTo});
                scoredUpTo = start + context;
            }
        }
        int length = Math.min(n, context);
        for (int from = 0; from < windows.size(); from += WINDOWS_PER_BATCH) {
            List<int[]> batch = windows.subList(from, Math.min(windows.size(), from + WINDOWS_PER_BATCH));
            int[][] tokens = new int[batch.size()][length];
            for (int w = 0; w < batch.size(); w++) {
                System.arraycopy(ids, batch.get(w)[0], tokens[w], 0, length);
            }
            float[][][] logits = model.logits(tokens);
            for (int w = 0; w < batch.size(); w++) {
                int start = batch.get(w)[0];
                for (int position = batch.get(w)[1]; position < start + length; position++) {
                    // logits at position − 1 predict the token at position
                    float[] probabilities = Sampler.softmax(logits[w][position - 1 - start], 1);
                    bits[position] = -log2(Math.max(probabilities[ids[position]], Float.MIN_NORMAL));
                }
            }
        }
        double total = 0;
        for (double b : bits) {
            total += b;
        }
        return new Scored(ids, bits, total / n, total / characters, characters);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
