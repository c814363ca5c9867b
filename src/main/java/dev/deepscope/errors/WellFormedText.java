package dev.deepscope.errors;

/**
 * Text a client sent must be Unicode the store can keep: JSON lets a string carry a lone UTF-16 surrogate
 * ({@code "\ud800"}), which names no character and which Java's UTF-8 encoder silently turns into {@code ?},
 * and a NUL ({@code "\u0000"}), which PostgreSQL's jsonb and text refuse, so the run could never be saved. Every
 * text input is checked here, so such a string is a 400 naming its field instead of a text that changed or was
 * lost on the way in.
 */
public final class WellFormedText {

    private WellFormedText() {
    }

    /**
     * The text itself when every high surrogate (U+D800..U+DBFF) is followed by a low one (U+DC00..U+DFFF) and
     * every low one follows a high one; null passes through (presence is the caller's rule).
     *
     * @throws InvalidFieldException naming {@code field} and the position (in UTF-16 units) of the lone surrogate
     *                               or NUL
     */
    public static String check(String field, String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (c == 0) {
                throw new InvalidFieldException(field, "must not contain NUL (U+0000) at position " + i);
            } else if (Character.isSurrogate(c)) {
                throw new InvalidFieldException(field, String.format(
                        "is not valid Unicode text: a lone UTF-16 surrogate U+%04X at position %d", (int) c, i));
            }
        }
        return text;
    }
}
