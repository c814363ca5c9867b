package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Turns what a person asks for into the U-Nets' condition: CLIP's encoding of a prompt, of a digit's
 * caption ("a handwritten seven"), or of the empty prompt for unconditional generation (ε_uncond).
 * Encodings are cached by text: the same text always gives the same condition.
 */
public final class Conditions {

    private final ClipModel clip;
    private final Map<String, ClipModel.TextEncoding> cache = new ConcurrentHashMap<>();

    public Conditions(ClipModel clip) {
        this.clip = clip;
    }

    public ClipModel.TextEncoding of(String text) {
        ClipModel.TextEncoding cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        ClipModel.TextEncoding e = clip.encodeTexts(new String[] {text})[0];
        if (cache.size() < 1000) {
            cache.put(text, e);
        }
        return e;
    }

    public ClipModel.TextEncoding unconditional() {
        return of(Captions.UNCONDITIONAL);
    }

    /** The text a request stands for: its prompt, its digit's caption, or "" for neither. */
    public static String text(Integer digit, String prompt) {
        if (prompt != null && !prompt.isBlank()) {
            return prompt;
        }
        return digit == null ? Captions.UNCONDITIONAL : Captions.forDigit(digit);
    }
}
