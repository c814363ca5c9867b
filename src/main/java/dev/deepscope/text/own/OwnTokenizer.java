package dev.deepscope.text.own;

import dev.deepscope.text.BytePairEncoding;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How a learner's text is cut into tokens for a model trained on it alone: one token per distinct character
 * ({@link Characters}), or our byte-pair encoding learned on the text with a small vocabulary a person can read
 * through ({@link Bpe}: the 256 bytes and {@link #BPE_MERGES} merges).
 */
public sealed interface OwnTokenizer {

    /** At most this many distinct characters for the char tokenizer (a larger alphabet should use bpe). */
    int MAX_CHARACTERS = 1024;
    /** Merges learned for bpe: 256 + 128 = 384 tokens. */
    int BPE_MERGES = 128;

    /** The text's tokens. @throws IllegalArgumentException naming a character the tokenizer does not have */
    int[] encode(String text);

    /** The text of {@code ids}, exactly. */
    String decode(int[] ids);

    /**
     * The text of {@code ids} for a page: as {@link #decode}, but control characters other than line feed and tab
     * (which an untrained model writes as readily as letters, and a page shows as an empty box or nothing)
     * labelled like stray bytes, e.g. {@code ⟨01⟩}.
     */
    default String show(int[] ids) {
        StringBuilder out = new StringBuilder();
        decode(ids).chars().forEach(c -> {
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                out.append(String.format("⟨%02X⟩", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    /** V, the number of tokens. */
    int vocabulary();

    /** One token as text (bytes that are not whole characters labelled, e.g. ⟨C3⟩). */
    String label(int id);

    /** "char" or "bpe". */
    String name();

    /** What a learner may read of it: the characters, or the merged tokens (not the 256 bytes). */
    default String[] readable() {
        String[] labels = new String[vocabulary()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(i);
        }
        return labels;
    }

    /**
     * The tokenizer {@code name} (char or bpe) for a text: char takes its characters from {@code vocabularyText},
     * bpe learns its merges on {@code mergesText}.
     */
    static OwnTokenizer of(String name, String vocabularyText, String mergesText) {
        return name.equals("bpe") ? Bpe.learn(mergesText) : Characters.of(vocabularyText);
    }

    /** One token per distinct code point of the text, in code point order. */
    record Characters(int[] codePoints, Map<Integer, Integer> ids) implements OwnTokenizer {

        static Characters of(String text) {
            int[] codePoints = text.codePoints().distinct().sorted().toArray();
            Map<Integer, Integer> ids = new HashMap<>();
            for (int i = 0; i < codePoints.length; i++) {
                ids.put(codePoints[i], i);
            }
            return new Characters(codePoints, ids);
        }

        @Override
        public int[] encode(String text) {
            return text.codePoints().map(c -> {
                Integer id = ids.get(c);
                if (id == null) {
                    throw new IllegalArgumentException("the text never has the character “" + Character.toString(c) + "”");
                }
                return id;
            }).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder out = new StringBuilder();
            Arrays.stream(ids).forEach(id -> out.appendCodePoint(codePoints[id]));
            return out.toString();
        }

        @Override
        public int vocabulary() {
            return codePoints.length;
        }

        @Override
        public String label(int id) {
            return Character.toString(codePoints[id]);
        }

        @Override
        public String name() {
            return "char";
        }
    }

    /** Our byte-level BPE, learned on the text. */
    record Bpe(BytePairEncoding encoding) implements OwnTokenizer {

        static Bpe learn(String text) {
            return new Bpe(BytePairEncoding.train(text, 256 + BPE_MERGES));
        }

        @Override
        public int[] encode(String text) {
            return encoding.encode(text);
        }

        @Override
        public String decode(int[] ids) {
            return encoding.decode(ids);
        }

        @Override
        public int vocabulary() {
            return encoding.vocabularySize();
        }

        @Override
        public String label(int id) {
            return encoding.tokenLabel(id);
        }

        @Override
        public String name() {
            return "bpe";
        }

        /** The merged tokens only, in the order they were learned (the bytes are every text's). */
        @Override
        public String[] readable() {
            String[] labels = new String[vocabulary() - 256];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = label(256 + i);
            }
            return labels;
        }
    }
}
