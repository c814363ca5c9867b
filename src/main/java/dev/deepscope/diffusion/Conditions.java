package dev.deepscope.diffusion;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.deepscope.engine.clip.ClipModel;

/**
 * Turns what a person asks for into the U-Nets' condition: CLIP's encoding of a prompt, of a digit's
 * caption ("a handwritten seven"), or of the empty prompt for unconditional generation (ε_uncond).
 * Encodings are cached by text (the same text always gives the same condition), up to {@link #CACHE_BYTES}.
 */
public final class Conditions {

    /** About 900 prompts of 200 characters (an encoding is ~4.5 KB of floats): the least used go first. */
    static final long CACHE_BYTES = 4L << 20;

    private final ClipModel clip;
    private final Cache<String, ClipModel.TextEncoding> cache = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .weigher(Conditions::weight)
            .build();

    public Conditions(ClipModel clip) {
        this.clip = clip;
    }

    public ClipModel.TextEncoding of(String text) {
        return cache.get(text, t -> clip.encodeTexts(new String[] {t})[0]);
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

    /** Heap bytes of an entry, roughly: the text's characters, the encoding's floats and ~150 bytes of headers. */
    private static int weight(String text, ClipModel.TextEncoding e) {
        return 150 + 2 * text.length() + 4 * (e.embedding().length + e.condition().length + e.conditionMask().length);
    }
}
