package dev.deepscope.system;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL left running by an app that was killed (kill -9, OOM killer): a postmaster is a
 * process of its own, so it outlives the JVM, keeps {@code postmaster.pid} in the data directory, and the
 * next start could not use that directory. This finds it and stops it, and touches nothing else:
 * <ul>
 *   <li>the data directory's lock file ({@code epg-lock}, held by a running app) must be free, so the
 *       postmaster of an app that is still alive is never stopped;</li>
 *   <li>the process named in {@code postmaster.pid} must be a {@code postgres} whose working directory is
 *       this data directory (a postmaster changes into its data directory), read from {@code /proc}; where
 *       that cannot be read (not Linux, another user's process), nothing is touched.</li>
 * </ul>
 * It asks for a smart shutdown (SIGTERM: the killed app's connections are already gone) and kills the
 * postmaster and its children (SIGKILL) only if it has not gone within {@link #PATIENCE}; PostgreSQL recovers
 * from its write-ahead log at the next start either way. A {@code postmaster.pid} naming a live process that
 * is not such a postgres (its pid was reused after a reboot) is stale and removed, since PostgreSQL would
 * otherwise refuse to start.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    /** How long a smart shutdown may take before the postmaster and its children are killed. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** zonky's lock file in the data directory, held by the app whose postmaster it is. */
    private static final String APP_LOCK = "epg-lock";

    private StalePostmaster() {
    }

    /**
     * Stops the postmaster of {@code dataDir} if an app that is gone left it running.
     *
     * @throws IllegalStateException if another app that is still running uses {@code dataDir}
     */
    static void clear(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<Long> pid = pidOf(pidFile);
        if (pid.isEmpty()) {
            return; // being written or truncated: PostgreSQL decides
        }
        if (!appLockFree(dataDir)) {
            throw new IllegalStateException("Another running DeepScope uses the data directory " + dataDir
                    + " (its " + APP_LOCK + " is held); stop it or choose another deepscope.data-dir.");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // PostgreSQL removes a lock file whose process is gone by itself
        }
        Optional<Boolean> ours = isPostmasterOf(process.get(), dataDir);
        if (ours.isEmpty()) {
            log.warn("postmaster.pid in {} names process {}, which cannot be inspected; left alone", dataDir, pid.get());
        } else if (ours.get()) {
            stop(process.get(), dataDir);
        } else {
            log.warn("postmaster.pid in {} names process {}, which is not its postgres: removing the stale file",
                    dataDir, pid.get());
            Files.deleteIfExists(pidFile);
        }
    }

    /** The first line of postmaster.pid: the postmaster's process id. */
    private static Optional<Long> pidOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether no running app (in this JVM or another) holds the data directory. */
    private static boolean appLockFree(Path dataDir) throws IOException {
        try (FileOutputStream out = new FileOutputStream(dataDir.resolve(APP_LOCK).toFile());
             FileLock lock = out.getChannel().tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it: another app instance in the same process
        }
    }

    /** Whether the process is a postgres working in {@code dataDir}; empty if that cannot be told. */
    static Optional<Boolean> isPostmasterOf(ProcessHandle process, Path dataDir) throws IOException {
        Optional<String> command = process.info().command();
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (command.isEmpty() || !Files.isReadable(cwd)) {
            return Optional.empty();
        }
        if (!Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return Optional.of(false);
        }
        try {
            return Optional.of(Files.isSameFile(cwd.toRealPath(), dataDir.toRealPath()));
        } catch (IOException e) {
            return process.isAlive() ? Optional.empty() : Optional.of(false);
        }
    }

    private static void stop(ProcessHandle postmaster, Path dataDir) {
        log.warn("Stopping the PostgreSQL (pid {}) left running in {} by an app that did not stop cleanly",
                postmaster.pid(), dataDir);
        long start = System.nanoTime();
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroy();
        if (!exited(postmaster, PATIENCE)) {
            log.warn("PostgreSQL {} did not stop within {}: killing it and its {} processes",
                    postmaster.pid(), PATIENCE, children.size());
            postmaster.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            exited(postmaster, PATIENCE);
        }
        // the children hold the shared memory PostgreSQL checks at start: wait until they are gone too
        children.forEach(child -> exited(child, PATIENCE));
        log.info("The left PostgreSQL stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean exited(ProcessHandle process, Duration within) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        try {
            exit.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
