package dev.deepscope.runs;

import java.security.SecureRandom;
import java.util.Base64;

/** Run ids are share links, so they must not be guessable: 128 random bits, URL-safe base64 (22 characters). */
final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    static boolean isWellFormed(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{22}");
    }
}
