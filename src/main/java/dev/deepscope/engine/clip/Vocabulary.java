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
 * use). Text is lower-cased and split on anything that is not a letter or a digit; a numeral like "17"
 * becomes one token per figure; any other word is {@code <unk>}. Every token list starts with
 * {@code <start>} (so even the empty prompt has one token to attend to) and is padded or cut to
 * {@link #CONTEXT} tokens.
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

    private Vocabulary() {
    }

    private static List<String> tokens() {
        List<String> t = new ArrayList<>(List.of("<pad>", "<start>", "<unk>"));
        t.addAll(DIGIT_WORDS);
        IntStream.range(0, 10).forEach(d -> t.add(Integer.toString(d)));
        t.addAll(List.of("a", "an", "the", "handwritten", "hand", "written", "by", "digit", "number", "numeral",
                "of", "drawing", "picture", "image", "photo", "sketch", "scribbled", "this", "is", "draw", "write",
                "me", "please", "neatly", "messy", "small", "big", "bold", "thin"));
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
        int n = 1;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            List<String> parts = word.chars().allMatch(Character::isDigit)
                    ? word.chars().mapToObj(c -> Character.toString(c)).toList()
                    : List.of(word);
            for (String part : parts) {
                if (n < CONTEXT) {
                    ids[n++] = IDS.getOrDefault(part, UNKNOWN);
                }
            }
        }
        return ids;
    }
}
