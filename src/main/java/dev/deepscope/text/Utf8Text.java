package dev.deepscope.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Tokens are bytes, and one character's UTF-8 bytes (1 to 4) may be split over two or more tokens: "ï" is
 * C3 AF, and a token can end after C3. Decoding each token alone would turn such halves into U+FFFD. Here a
 * text is decoded as its bytes arrive ({@link Stream}), so a character appears whole with the token that
 * completes it; and a token shown on its own ({@link #label}) shows its bytes that are not a whole character
 * as labelled bytes such as {@code ⟨C3⟩}.
 */
final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * A token (or any bytes) as a person can read it alone: whole characters as themselves, every byte that is
     * not part of a whole character as {@code ⟨XX⟩} (hex), e.g. {@code na⟨C3⟩} for the bytes 6E 61 C3.
     */
    static String label(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        decode(bytes, true, out);
        return out.toString();
    }

    /** Decodes a byte sequence that arrives in pieces; {@link #next} returns the characters each piece completes. */
    static final class Stream {
        private byte[] pending = new byte[0];   // the start of a character still missing bytes (at most 3)

        /**
         * The characters made whole by {@code piece} (possibly none, if it ends inside a character). Bytes that
         * can never be part of a character (a stray continuation byte, say) come out labelled, as in {@link #label}.
         */
        String next(byte[] piece) {
            byte[] bytes = new byte[pending.length + piece.length];
            System.arraycopy(pending, 0, bytes, 0, pending.length);
            System.arraycopy(piece, 0, bytes, pending.length, piece.length);
            StringBuilder out = new StringBuilder();
            pending = decode(bytes, false, out);
            return out.toString();
        }

        /** The text ends: a character left unfinished comes out as labelled bytes. */
        String end() {
            StringBuilder out = new StringBuilder();
            decode(pending, true, out);
            pending = new byte[0];
            return out.toString();
        }
    }

    /** Appends what {@code bytes} decode to; returns the unfinished character's bytes at the end unless {@code last}. */
    private static byte[] decode(byte[] bytes, boolean last, StringBuilder out) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length + 1);   // UTF-8 never has more chars than bytes
        while (true) {
            CoderResult result = decoder.decode(in, chars, last);
            out.append(chars.flip());
            chars.clear();
            if (!result.isError()) {
                break;   // underflow: all read, or (not last) only an unfinished character is left
            }
            for (int i = 0; i < result.length(); i++) {
                out.append(String.format("⟨%02X⟩", in.get() & 0xff));
            }
        }
        if (last) {
            decoder.flush(chars);
            out.append(chars.flip());
        }
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        return rest;
    }
}
