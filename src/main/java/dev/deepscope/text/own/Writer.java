package dev.deepscope.text.own;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueCache;
import dev.deepscope.text.Sampler;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Writes with a model trained on a learner's text: each step reads the new token (keys and values of the earlier
 * ones cached), turns the last logits into probabilities at temperature T and draws the next token. A text longer
 * than the context T starts a fresh cache over its last T/2 tokens, so writing never stops at the context's end.
 */
final class Writer {

    private Writer() {
    }

    /**
     * {@code count} new tokens after {@code prompt} (1.. tokens; its last T are read).
     *
     * @param temperature 0 takes the most likely token each time; otherwise the whole softmax(z/T) is sampled
     */
    static int[] write(GptModel model, int[] prompt, int count, double temperature, Random random) {
        int context = model.config().context();
        int[] all = Arrays.copyOf(prompt, prompt.length + count);
        int length = prompt.length;
        KeyValueCache cache = new KeyValueCache(model.config());
        int[] pending = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - context), prompt.length);
        Sampler.Settings settings = new Sampler.Settings(temperature, 0, 1.0);
        for (int i = 0; i < count; i++) {
            if (cache.length() + pending.length > context) {
                cache.clear();
                pending = Arrays.copyOfRange(all, length - context / 2, length);
            }
            float[][] logits = model.read(List.of(cache), new int[][] {pending}, false).get(0).logits();
            int next = Sampler.sample(logits[pending.length - 1], settings, random);
            all[length++] = next;
            pending = new int[] {next};
        }
        return Arrays.copyOfRange(all, prompt.length, all.length);
    }
}
