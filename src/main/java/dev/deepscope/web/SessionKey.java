package dev.deepscope.web;

import dev.deepscope.system.DeepScopeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signs session ids so that only ids this server issued are sessions: a cookie is {@code id.signature}, the
 * signature HMAC-SHA256(key, "session:" + id) in URL-safe base64 without padding (43 characters). The key is
 * {@code deepscope.sessions.key} when given, else 32 random bytes generated once and kept in
 * {@value #FILE} under the data directory (owner-only), so every instance sharing the configuration or the
 * data directory accepts the others' cookies, and a restart keeps everyone's session.
 */
@Component
class SessionKey {

    static final String FILE = "session.key";
    private static final Logger log = LoggerFactory.getLogger(SessionKey.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_CONFIGURED_LENGTH = 32;
    private static final int GENERATED_BYTES = 32;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    /**
     * One initialised HMAC per thread (a Mac is not thread-safe): looking the algorithm up and initialising it
     * again for every request cost more than the signature itself on the classify path.
     */
    private final ThreadLocal<Mac> macs;

    @Autowired
    SessionKey(SessionProperties sessions, DeepScopeProperties app) {
        this(sessions.key() != null && !sessions.key().isBlank() ? configured(sessions.key())
                : kept(app.dataDir().resolve(FILE)));
    }

    SessionKey(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** {@code id} with its signature, as the cookie carries it. */
    String sign(String id) {
        return id + "." + signature(id);
    }

    /** The id a cookie carries if this key signed it; empty for anything else (forged, unsigned, garbage). */
    Optional<String> verify(String cookie) {
        int dot = cookie == null ? -1 : cookie.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String id = cookie.substring(0, dot);
        byte[] given = cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = signature(id).getBytes(StandardCharsets.US_ASCII);
        // constant time: how much of a guessed signature is right must not show in the response time
        return MessageDigest.isEqual(expected, given) ? Optional.of(id) : Optional.empty();
    }

    private String signature(String id) {
        // doFinal leaves the Mac reset, keyed, ready for the next message
        return BASE64.encodeToString(macs.get().doFinal(("session:" + id).getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static byte[] configured(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_CONFIGURED_LENGTH) {
            throw new IllegalStateException("deepscope.sessions.key (DEEPSCOPE_SESSION_KEY) must be at least "
                    + MIN_CONFIGURED_LENGTH + " characters, or empty to generate one under the data directory");
        }
        return bytes;
    }

    /**
     * The key in {@code file}, made on first use. Several instances may start at once on one data directory: each
     * writes its candidate to a file of its own and links it into place, which only the first one can do; the
     * others read the winner's.
     */
    static byte[] kept(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] secret = new byte[GENERATED_BYTES];
                new SecureRandom().nextBytes(secret);
                Path candidate = ownerOnly(file.resolveSibling(FILE + "." + BASE64.encodeToString(secret).substring(0, 8)));
                try {
                    Files.writeString(candidate, Base64.getEncoder().encodeToString(secret));
                    Files.createLink(file, candidate);
                    log.info("Generated the session signing key {}", file.toAbsolutePath());
                } catch (FileAlreadyExistsException lost) {
                    // another instance made it first: use theirs
                } finally {
                    Files.deleteIfExists(candidate);
                }
            }
            byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
            if (secret.length < GENERATED_BYTES) {
                throw new IllegalStateException(file.toAbsolutePath() + " holds " + secret.length
                        + " bytes; a session key has " + GENERATED_BYTES + " (delete the file to make a new one)");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the session key in " + file.toAbsolutePath(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file.toAbsolutePath() + " is not a base64 session key (delete it to make a new one)", e);
        }
    }

    /** An empty file only its owner may read and write, created so from the start. */
    private static Path ownerOnly(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(file);
    }
}
