package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepscope.system.RandomIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed session ids: only what this key signed verifies; the key is kept once per data directory. */
class SessionKeyTest {

    private static final String SECRET = "a configured secret of more than 32 characters";

    @TempDir
    Path dir;

    @Test
    void onlyWhatThisKeySignedVerifies() {
        SessionKey key = new SessionKey(SECRET.getBytes());
        String id = RandomIds.next();
        String cookie = key.sign(id);
        assertThat(cookie).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        assertThat(key.verify(cookie)).contains(id);

        String signature = cookie.substring(23);
        String otherId = RandomIds.next();
        char flipped = signature.charAt(0) == 'A' ? 'B' : 'A';
        List<String> refused = new ArrayList<>(Arrays.asList(
                id,                                                    // the old unsigned form
                otherId + "." + signature,                             // another id with this id's signature
                id + "." + flipped + signature.substring(1),           // one character of the signature changed
                id + "." + signature.substring(1),                     // a shorter signature
                new SessionKey("another secret, also long enough to be used".getBytes()).sign(id),   // another key
                id + "." + signature + "x", "", ".", "..", id + ".", "." + signature, "ä.ö", null));
        for (String forged : refused) {
            assertThat(key.verify(forged)).as(String.valueOf(forged)).isEmpty();
        }
    }

    @Test
    void aGeneratedKeyIsKeptOwnerOnlyAndTheSameForEveryInstanceOfTheDataDirectory() throws Exception {
        Path file = dir.resolve("data").resolve(SessionKey.FILE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // four instances starting at once on one data directory agree on one key
            List<CompletableFuture<byte[]>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(CompletableFuture.supplyAsync(() -> SessionKey.kept(file), pool));
            }
            byte[] first = starts.get(0).get();
            assertThat(first).hasSize(32);
            for (CompletableFuture<byte[]> start : starts) {
                assertThat(start.get()).isEqualTo(first);
            }
            assertThat(SessionKey.kept(file)).as("after a restart").isEqualTo(first);
        } finally {
            pool.shutdown();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no candidate files left behind").containsExactly(file);
        }
        SessionKey a = new SessionKey(SessionKey.kept(file));
        SessionKey b = new SessionKey(SessionKey.kept(file));
        String id = RandomIds.next();
        assertThat(b.verify(a.sign(id))).contains(id);
        assertThat(new SessionKey(SessionKey.kept(dir.resolve("other").resolve(SessionKey.FILE))).verify(a.sign(id)))
                .as("another data directory, another key").isEmpty();
    }

    @Test
    void aBrokenKeyFileOrAShortConfiguredKeyStopsTheStartWithAReason() throws Exception {
        Path file = dir.resolve(SessionKey.FILE);
        Files.writeString(file, "not base64 at all!");
        assertThatThrownBy(() -> SessionKey.kept(file)).hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("delete it");
        Files.writeString(file, "c2hvcnQ=");
        assertThatThrownBy(() -> SessionKey.kept(file)).hasMessageContaining("holds 5 bytes");
        assertThatThrownBy(() -> new SessionKey(new SessionProperties("too short"), null))
                .hasMessageContaining("at least 32 characters");
        String id = RandomIds.next();
        SessionKey configured = new SessionKey(new SessionProperties(SECRET), null);
        assertThat(new SessionKey(new SessionProperties(SECRET), null).verify(configured.sign(id)))
                .as("the same configured key on another instance").contains(id);
    }
}
