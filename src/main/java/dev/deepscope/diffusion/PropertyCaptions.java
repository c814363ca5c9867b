package dev.deepscope.diffusion;

import dev.deepscope.diffusion.DigitProperties.Property;
import dev.deepscope.engine.clip.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Captions of training digits that say what the digit looks like besides which digit it is, from the
 * properties our code measured on it ({@link DigitProperties}, levels from a {@link PropertyScale}): "a bold 4",
 * "a big thin seven", "a small 2 in the top left", "an 8 slanted right", "4". Each property at one of its
 * ends is named with probability ½ (slant in its middle third is "upright", named ¼ of the time); a fifth of
 * the captions name the digit alone in one of {@link Captions#TEMPLATES}. Words are picked at random among a
 * few phrasings, so CLIP learns the properties rather than one sentence.
 */
public final class PropertyCaptions {

    /** A claim the caption does not make. */
    public static final int NOT_SAID = -1;

    /**
     * A caption and what it claims about the image: per {@link Property}, LOW/MIDDLE/HIGH or {@link #NOT_SAID}.
     */
    public record Caption(String text, int digit, int[] claims) {

        /** True when every claim holds for a {@code digit} image with these property {@code levels}. */
        public boolean fits(int digit, int[] levels) {
            if (digit != this.digit) {
                return false;
            }
            for (int p = 0; p < claims.length; p++) {
                if (claims[p] != NOT_SAID && claims[p] != levels[p]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<String> BOLD = List.of("bold", "thick");
    private static final List<String> BIG = List.of("big", "large");
    /** Words after which "a" becomes "an". */
    private static final java.util.Set<String> VOWEL_SOUNDS = java.util.Set.of("8", "eight", "upright");
    private static final List<String> PREFIX = List.of("a", "a", "a handwritten", "", "the");

    private PropertyCaptions() {
    }

    /** A random caption of a {@code digit} image whose properties are at {@code levels} (Property order). */
    public static Caption describe(int digit, int[] levels, Random random) {
        int[] claims = new int[Property.values().length];
        Arrays.fill(claims, NOT_SAID);
        if (random.nextDouble() < 0.2) {
            return new Caption(Captions.random(digit, random), digit, claims);
        }
        List<String> adjectives = new ArrayList<>();
        int size = levels[Property.SIZE.ordinal()];
        if (size != PropertyScale.MIDDLE && random.nextBoolean()) {
            claims[Property.SIZE.ordinal()] = size;
            adjectives.add(size == PropertyScale.HIGH ? pick(BIG, random) : "small");
        }
        int thickness = levels[Property.THICKNESS.ordinal()];
        if (thickness != PropertyScale.MIDDLE && random.nextBoolean()) {
            claims[Property.THICKNESS.ordinal()] = thickness;
            adjectives.add(thickness == PropertyScale.HIGH ? pick(BOLD, random) : "thin");
        }
        int slant = levels[Property.SLANT.ordinal()];
        String slantWords = null;
        if (slant == PropertyScale.MIDDLE ? random.nextDouble() < 0.25 : random.nextBoolean()) {
            claims[Property.SLANT.ordinal()] = slant;
            if (slant == PropertyScale.MIDDLE) {
                adjectives.add("upright");
            } else {
                slantWords = (random.nextBoolean() ? "slanted " : "leaning ") + (slant == PropertyScale.HIGH ? "right" : "left");
            }
        }
        String where = position(levels, claims, random);
        String noun = random.nextBoolean() ? Integer.toString(digit) : Vocabulary.DIGIT_WORDS.get(digit);
        String prefix = pick(PREFIX, random);
        List<String> words = new ArrayList<>();
        if (!prefix.isEmpty()) {
            words.addAll(List.of(prefix.split(" ")));
        }
        String separator = adjectives.size() > 1 && random.nextInt(3) == 0 ? ", " : " ";
        for (int i = 0; i < adjectives.size(); i++) {
            words.add(adjectives.get(i) + (i < adjectives.size() - 1 ? separator.trim() : ""));
        }
        words.add(noun);
        if (words.size() > 1 && words.get(0).equals("a") && VOWEL_SOUNDS.contains(words.get(1).replace(",", ""))) {
            words.set(0, "an");
        }
        StringBuilder text = new StringBuilder(String.join(" ", words));
        if (slantWords != null) {
            text.append(' ').append(slantWords);
        }
        if (where != null) {
            text.append(' ').append(where);
        }
        return new Caption(text.toString(), digit, claims);
    }

    /** "in the top left", "at the bottom", "on the right", or null; records what it claims. */
    private static String position(int[] levels, int[] claims, Random random) {
        int x = levels[Property.HORIZONTAL.ordinal()];
        int y = levels[Property.VERTICAL.ordinal()];
        boolean sayX = x != PropertyScale.MIDDLE && random.nextBoolean();
        boolean sayY = y != PropertyScale.MIDDLE && random.nextBoolean();
        String side = x == PropertyScale.LOW ? "left" : "right";
        String height = y == PropertyScale.LOW ? "top" : "bottom";
        if (sayX) {
            claims[Property.HORIZONTAL.ordinal()] = x;
        }
        if (sayY) {
            claims[Property.VERTICAL.ordinal()] = y;
        }
        if (sayX && sayY) {
            return "in the " + height + " " + side;
        }
        if (sayY) {
            return "at the " + height;
        }
        return sayX ? "on the " + side : null;
    }

    private static String pick(List<String> words, Random random) {
        return words.get(random.nextInt(words.size()));
    }
}
