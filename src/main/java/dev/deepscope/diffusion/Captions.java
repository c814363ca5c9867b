package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.Vocabulary;
import java.util.List;
import java.util.Random;

/**
 * The captions CLIP learns digits from: varied ways of naming a digit, by its numeral or its word
 * ("a handwritten 7", "the digit seven", "seven", "number 7", …). Zero-shot classification averages
 * a digit's captions into one text embedding (CLIP's prompt ensembling).
 */
public final class Captions {

    /** {n} is the numeral, {w} the word. */
    public static final List<String> TEMPLATES = List.of(
            "{n}", "{w}", "a handwritten {n}", "a handwritten {w}", "the digit {w}", "the digit {n}",
            "number {n}", "number {w}", "a {w}", "a drawing of a {w}", "the number {w}",
            "a picture of the digit {n}", "handwritten digit {w}", "a {n} written by hand", "the numeral {n}");

    /** The empty prompt: what the U-Nets see when the condition is dropped (ε_uncond). */
    public static final String UNCONDITIONAL = "";

    private Captions() {
    }

    public static String caption(int digit, int template) {
        return TEMPLATES.get(template)
                .replace("{n}", Integer.toString(digit))
                .replace("{w}", Vocabulary.DIGIT_WORDS.get(digit));
    }

    public static String random(int digit, Random random) {
        return caption(digit, random.nextInt(TEMPLATES.size()));
    }

    /** What a digit label is turned into when someone asks for "digit d". */
    public static String forDigit(int digit) {
        return caption(digit, 3);
    }

    public static int templateCount() {
        return TEMPLATES.size();
    }

    /** Every caption of every digit, digit-major: index = digit · templates + template. */
    public static String[] all() {
        String[] out = new String[10 * TEMPLATES.size()];
        for (int d = 0; d < 10; d++) {
            for (int t = 0; t < TEMPLATES.size(); t++) {
                out[d * TEMPLATES.size() + t] = caption(d, t);
            }
        }
        return out;
    }
}
