package dev.deepscope.engine.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The tiny CLIP's tokens: a small word vocabulary (digit names, numerals and the words our captions
 * use, property words such as "bold", "slanted" or "top" among them). Text is lower-cased and split at white space
 * and punctuation (a word of another script or an emoji stays whole); a numeral like "17"
 * becomes one token per figure; any other word is {@code <unk>}. Every token list starts with
 * {@code <start>} (so even the empty prompt has one token to attend to) and is padded or cut to
 * {@link #CONTEXT} tokens. {@link #read} says which words of a text CLIP reads: this class is the one
 * place that decides it, for the encoder and for everything that tells a person about it.
 */
public final class Vocabulary {

    public static final int PAD = 0;
    public static final int START = 1;
    public static final int UNKNOWN = 2;
    /** Tokens per text, <start> included: long prompts are cut here. */
    public static final int CONTEXT = 12;

    public static final List<String> DIGIT_WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    private static final List<String> TOKENS = tokens();
    private static final Map<String, Integer> IDS = IntStream.range(0, TOKENS.size()).boxed()
            .collect(Collectors.toMap(TOKENS::get, Function.identity()));

    /**
     * Which words of a text CLIP reads, in order: {@code read} are words it knows, {@code unknown} words it
     * reads as {@code <unk>} (they take a place but say nothing), {@code dropped} words past the
     * {@link #CONTEXT} − 1 places, which it never sees. A numeral counts one word per figure ("17" → "1", "7").
     */
    public record Reading(String text, List<String> read, List<String> unknown, List<String> dropped) {
    }

    private Vocabulary() {
    }

    private static List<String> tokens() {
        List<String> t = new ArrayList<>(List.of("<pad>", "<start>", "<unk>"));
        t.addAll(DIGIT_WORDS);
        IntStream.range(0, 10).forEach(d -> t.add(Integer.toString(d)));
        t.addAll(List.of("a", "an", "the", "handwritten", "hand", "written", "by", "digit", "number", "numeral",
                "of", "drawing", "picture", "image", "photo", "sketch", "scribbled", "this", "is", "draw", "write",
                "me", "please", "neatly", "messy", "small", "big", "bold", "thin",
                // the property captions' words (diffusion/PropertyCaptions)
                "thick", "large", "upright", "slanted", "leaning", "left", "right", "in", "at", "on", "top", "bottom"));
        return List.copyOf(t);
    }

    public static int size() {
        return TOKENS.size();
    }

    public static String token(int id) {
        return TOKENS.get(id);
    }

    /** The token ids of a text: <start>, its words, then <pad> up to {@link #CONTEXT}. */
    public static int[] encode(String text) {
        int[] ids = new int[CONTEXT];
        ids[0] = START;
        List<String> words = words(text);
        for (int n = 1; n < CONTEXT && n <= words.size(); n++) {
            ids[n] = IDS.getOrDefault(words.get(n - 1), UNKNOWN);
        }
        return ids;
    }

    /** Which words of {@code text} the encoder reads, reads as unknown, and drops (see {@link Reading}). */
    public static Reading read(String text) {
        List<String> read = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            (i >= CONTEXT - 1 ? dropped : IDS.containsKey(word) ? read : unknown).add(word);
        }
        return new Reading(text, List.copyOf(read), List.copyOf(unknown), List.copyOf(dropped));
    }

    /**
     * What separates words: white space, punctuation (ASCII's, symbols such as "+" among them, and Unicode's) and
     * control characters. Letters of any script, emoji and other symbols stay inside words, so "café", "七" or "🐱"
     * is one word CLIP does not know, reported whole, never cut to "caf" or silently lost.
     */
    private static final java.util.regex.Pattern SEPARATORS =
            java.util.regex.Pattern.compile("[\\s\\p{Punct}\\p{IsPunctuation}\\p{Z}\\p{Cc}]+");

    /** Lower-cased words split on {@link #SEPARATORS}, a numeral split into its figures. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : SEPARATORS.split(text.toLowerCase(Locale.ROOT))) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.chars().allMatch(Character::isDigit)) {
                word.chars().forEach(c -> words.add(Character.toString(c)));
            } else {
                words.add(word);
            }
        }
        return words;
    }
}
