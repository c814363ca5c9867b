package dev.deepscope.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clearing a left postmaster touches only its own: never the postgres of an app that still holds the data
 * directory, never a process of another directory that a stale postmaster.pid happens to name. (Stopping a
 * real left postmaster is proved with a killed app in {@code CrashRestartTest}.)
 */
class StalePostmasterTest {

    private static final Path ROOT = Path.of("target/test-data/stale-" + UUID.randomUUID()).toAbsolutePath();
    private static EmbeddedPostgres running;
    private static ProcessHandle postmaster;

    @BeforeAll
    static void startAPostgresHeldByThisJvm() throws IOException {
        running = EmbeddedPostgres.builder().setDataDirectory(ROOT.resolve("held")).setRegisterShutdownHook(false).start();
        long pid = Long.parseLong(Files.readAllLines(ROOT.resolve("held/postmaster.pid")).get(0).trim());
        postmaster = ProcessHandle.of(pid).orElseThrow();
    }

    @AfterAll
    static void stop() throws IOException {
        running.close();
    }

    @Test
    void aDataDirectoryHeldByARunningAppIsRefusedAndItsPostgresLeftAlone() {
        assertThatThrownBy(() -> StalePostmaster.clear(ROOT.resolve("held")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Another running DeepScope");
        assertThat(postmaster.isAlive()).isTrue();
    }

    @Test
    void aPidFileNamingAnotherDirectorysPostgresIsStaleAndThatPostgresLivesOn() throws IOException {
        Path other = pidFileNaming(postmaster.pid());
        assertThat(StalePostmaster.isPostmasterOf(postmaster, other)).contains(false);
        StalePostmaster.clear(other);
        assertThat(postmaster.isAlive()).isTrue();
        assertThat(other.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aPidFileNamingALiveProcessThatIsNoPostgresIsStale() throws IOException {
        Path dir = pidFileNaming(ProcessHandle.current().pid());
        StalePostmaster.clear(dir);
        assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void itsOwnPostmasterIsRecognised() throws IOException {
        assertThat(StalePostmaster.isPostmasterOf(postmaster, ROOT.resolve("held"))).contains(true);
    }

    /** A data directory whose postmaster.pid names {@code pid}, as after a reboot that reused the pid. */
    private static Path pidFileNaming(long pid) throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve("dir-" + UUID.randomUUID()));
        Files.writeString(dir.resolve("postmaster.pid"), pid + "\n" + dir + "\n1795986051\n5432\n");
        return dir;
    }
}
