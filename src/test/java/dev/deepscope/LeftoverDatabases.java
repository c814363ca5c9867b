package dev.deepscope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * No test run leaves a PostgreSQL behind. The apps under test stop their embedded databases when they stop,
 * and Spring stops the cached test apps from a JVM shutdown hook; but an app a test never closed, or one that
 * failed half-way, would leave its postmaster running after the test JVM is gone. So a shutdown hook of our own
 * waits (up to 30 s) for the apps' stops and then kills any postmaster still working in a test data directory
 * this run made ({@code target/test-data/*}). Registered for every test run in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class LeftoverDatabases implements LauncherSessionListener {

    private static final Path TEST_DATA = Path.of("target/test-data");

    /** When this test run began: only directories made since are its own (another run may share target/). */
    private static volatile FileTime opened = FileTime.from(Instant.now());

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        opened = FileTime.from(Instant.now().minusSeconds(1));
        Runtime.getRuntime().addShutdownHook(new Thread(LeftoverDatabases::stopLeftovers, "leftover-databases"));
    }

    private static void stopLeftovers() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (!running().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);   // the apps' own shutdown hooks are stopping theirs
            }
            for (Path dataDir : running()) {
                System.err.println("Stopping a PostgreSQL left running in " + dataDir);
                AppProcess.killPostgresOf(dataDir);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("Could not check for leftover PostgreSQL servers: " + e);
        }
    }

    /** Test data directories whose postmaster is still alive. */
    private static List<Path> running() throws IOException {
        if (!Files.isDirectory(TEST_DATA)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(TEST_DATA)) {
            return dirs.filter(dir -> {
                try {
                    return Files.getLastModifiedTime(dir).compareTo(opened) >= 0 && AppProcess.postmasterOf(dir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                            .isPresent();
                } catch (IOException | NumberFormatException e) {
                    return false;
                }
            }).toList();
        }
    }
}
