package dev.deepscope;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The app as a JVM of its own (with the test classpath and {@link TickerApp}), so a test can stop it as
 * an operator or the kernel would: SIGTERM ({@link #terminate}) or SIGKILL ({@link #kill}). Closing it
 * kills the JVM if it still runs; {@link #killPostgresOf} removes what a killed JVM leaves behind.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the app on a free port with its data in {@code dataDir}; its output goes to {@code log}. */
    public static AppProcess start(Path dataDir, Path log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(List.of(java, "-Xmx1g", "-XX:+PerfDisableSharedMem",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TickerApp.class.getName(),
                "--server.port=" + port, "--deepscope.data-dir=" + dataDir.toAbsolutePath(),
                "--deepscope.rate-limit.per-address=100000"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new AppProcess(process, port, log);
    }

    /** Waits until /actuator/health answers 200; fails at once if the JVM exits first. */
    public AppProcess awaitHealthy(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("The app exited with " + process.exitValue() + "; see " + log);
            }
            return healthy();
        });
        return this;
    }

    private boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** SIGTERM, as an operator or a container runtime stops it; waits for the JVM to exit. */
    public void terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The app did not exit within " + within + " of SIGTERM; see " + log);
        }
    }

    /** SIGKILL: the JVM ends at once, nothing of it runs (no shutdown hook); waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The pid recorded in the data directory's postmaster.pid, if there is one. */
    public static Optional<Long> postmasterOf(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    }

    /** Kills the postgres a killed app left running in {@code dataDir} (only a postgres working there). */
    public static void killPostgresOf(Path dataDir) throws IOException {
        Optional<ProcessHandle> postmaster = postmasterOf(dataDir).flatMap(ProcessHandle::of);
        if (postmaster.isEmpty()) {
            return;
        }
        Path cwd = Path.of("/proc", Long.toString(postmaster.get().pid()), "cwd");
        boolean ours;
        try {
            ours = Files.isSameFile(cwd.toRealPath(), dataDir.resolve("postgres").toRealPath());
        } catch (IOException e) {
            return; // gone meanwhile
        }
        if (ours) {
            List<ProcessHandle> children = postmaster.get().descendants().toList();
            postmaster.get().destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
