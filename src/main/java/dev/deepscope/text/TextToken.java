package dev.deepscope.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A token in a text, shown two ways: {@code text}, the characters that became whole with this token (joined
 * over a text's tokens they give the text back exactly; empty for a token that ends inside a character), and
 * {@code label}, the token alone as {@link Utf8Text#label} shows it (e.g. {@code ⟨C3⟩} for half of "ï").
 */
public record TextToken(int id, String text, String label) {

    /** The tokens of a text, given each token's bytes; a character left unfinished at the end comes out labelled. */
    static List<TextToken> of(int[] ids, IntFunction<byte[]> bytes) {
        Utf8Text.Stream stream = new Utf8Text.Stream();
        List<TextToken> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            byte[] b = bytes.apply(ids[i]);
            String text = stream.next(b);
            if (i == ids.length - 1) {
                text += stream.end();
            }
            tokens.add(new TextToken(ids[i], text, Utf8Text.label(b)));
        }
        return tokens;
    }
}
