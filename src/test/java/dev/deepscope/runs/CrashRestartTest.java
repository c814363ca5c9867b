package dev.deepscope.runs;

import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.AppProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * The app as the operating system sees it, a JVM of its own: killed hard (SIGKILL) it leaves its embedded
 * PostgreSQL running, and the next start on the same data directory clears that postmaster by itself, is
 * healthy, and says the run it was computing was interrupted; stopped with SIGTERM it records the stop
 * itself, before its database goes.
 */
class CrashRestartTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    /** Generous for a loaded machine: a start takes a few seconds on a quiet one. */
    private static final Duration START = Duration.ofSeconds(180);

    @Test
    void aKilledAppStartsAgainOnItsDataAndAStoppedOneRecordsItsStop() throws Exception {
        Path dataDir = Path.of("target/test-data/crash-" + UUID.randomUUID()).toAbsolutePath();
        try {
            String killed;
            try (AppProcess first = AppProcess.start(dataDir, dataDir.resolve("first.log")).awaitHealthy(START)) {
                killed = computing(first.http());
                first.kill();
            }
            Optional<ProcessHandle> left = AppProcess.postmasterOf(dataDir).flatMap(ProcessHandle::of);
            assertThat(left).as("the killed app's postmaster outlives it").isPresent();
            beatFarAhead(dataDir);

            String stopped;
            try (AppProcess second = AppProcess.start(dataDir, dataDir.resolve("second.log"))) {
                long start = System.nanoTime();
                second.awaitHealthy(START);
                System.out.printf("Healthy %d ms after starting on a killed app's data directory%n",
                        (System.nanoTime() - start) / 1_000_000);
                assertThat(left.get().isAlive()).as("the stale postmaster was stopped").isFalse();
                WebTestClient http = second.http();
                http.get().uri("/api/runs/{id}", killed).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.status").isEqualTo("interrupted");
                ServerSentEvent<String> last = events(http, killed).blockLast(Duration.ofSeconds(30));
                assertThat(last.event()).isEqualTo("error");
                assertThat(last.data()).contains("\"status\":\"interrupted\"");

                stopped = computing(http);
                long stop = System.nanoTime();
                second.terminate(Duration.ofSeconds(60));
                System.out.printf("Exited %d ms after SIGTERM%n", (System.nanoTime() - stop) / 1_000_000);
            }
            assertThat(AppProcess.postmasterOf(dataDir)).as("SIGTERM stops the database too").isEmpty();
            StoredRun stored = StoredRun.read(dataDir, stopped);
            assertThat(stored.status()).isEqualTo("interrupted");
            assertThat(stored.lastEventType()).isEqualTo("error");
            assertThat(stored.lastEventData()).containsPattern("\"status\":\\s*\"interrupted\"");
        } finally {
            AppProcess.killPostgresOf(dataDir);
        }
    }

    /**
     * Through the postmaster the killed app left running: dates every instance's last heartbeat an hour ahead,
     * so only the start's own rule (a database of one instance) can interrupt the killed app's run, not the
     * instance timeout, which a slow start on a busy machine would outlast.
     */
    private static void beatFarAhead(Path dataDir) throws Exception {
        int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
             Statement sql = db.createStatement()) {
            assertThat(sql.executeUpdate("update instances set last_seen = now() + interval '1 hour'")).isOne();
        }
    }

    /** Starts a long run and waits until it has computed a few steps. */
    private static String computing(WebTestClient http) {
        String id = startRun(http, "ticker", ticker(10_000, 20)).path("id").asString();
        events(http, id).take(3).blockLast(Duration.ofSeconds(30));
        return id;
    }

    private static Flux<ServerSentEvent<String>> events(WebTestClient http, String id) {
        return http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }
}
