package dev.deepscope.system;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Ids that stand in for access (run share links, session cookies) must not be guessable:
 * 128 random bits, URL-safe base64 without padding (22 characters).
 */
public final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    public static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    public static boolean isWellFormed(String id) {
        return id != null && id.length() == 22 && id.chars().allMatch(c ->
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
}
