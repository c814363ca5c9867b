package dev.deepscope.runs;

import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.AppInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * A clean stop records itself (its running runs are interrupted in the table before the database stops)
 * and ends every open event stream at once instead of waiting out the graceful-shutdown timeout.
 */
class CleanStopTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final int VIEWERS = 4;

    /** What one client of an event stream received, and how its stream ended. */
    private static final class Viewer {
        final List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        volatile boolean completed;
        volatile Throwable failed;

        Viewer(Flux<ServerSentEvent<String>> stream) {
            stream.filter(e -> e.event() != null)
                    .subscribe(events::add, e -> failed = e, () -> completed = true);
        }

        ServerSentEvent<String> last() {
            return events.get(events.size() - 1);
        }
    }

    @Test
    void aStopInterruptsItsRunsInTheTableAndEndsEveryStreamAtOnce() throws Exception {
        Path dataDir = Path.of("target/test-data/clean-stop-" + UUID.randomUUID());
        String live;
        List<Viewer> liveViewers;
        List<Viewer> replayViewers;
        long stopMillis;
        try (AppInstance app = AppInstance.start(Map.of("deepscope.data-dir", dataDir.toString()))) {
            WebTestClient http = app.http();
            JdbcClient jdbc = JdbcClient.create(app.bean(DataSource.class));
            // what the embedded server commits survives a power loss (zonky turns both off)
            assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
            assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
            String finished = startRun(http, "ticker", ticker(40, 10)).path("id").asString();
            stream(http, finished, 0).blockLast(Duration.ofSeconds(20));
            live = startRun(http, "ticker", ticker(10_000, 20)).path("id").asString();
            liveViewers = IntStream.range(0, VIEWERS).mapToObj(i -> new Viewer(stream(http, live, 0))).toList();
            // paced far below the original speed: each replay would take minutes (every gap held to 5 s)
            replayViewers = IntStream.range(0, VIEWERS).mapToObj(i -> new Viewer(stream(http, finished, 0.001))).toList();
            await().atMost(Duration.ofSeconds(20)).until(() -> liveViewers.stream().allMatch(v -> v.events.size() >= 3)
                    && replayViewers.stream().allMatch(v -> !v.events.isEmpty()));

            long start = System.nanoTime();
            app.close();
            stopMillis = (System.nanoTime() - start) / 1_000_000;
        }
        System.out.printf("Stop with %d live and %d replay streams open: %d ms%n", VIEWERS, VIEWERS, stopMillis);
        assertThat(stopMillis).as("stop took %d ms", stopMillis).isLessThan(5_000);

        List<Viewer> all = new java.util.ArrayList<>(liveViewers);
        all.addAll(replayViewers);
        await().atMost(Duration.ofSeconds(5)).until(() -> all.stream().allMatch(v -> v.completed || v.failed != null));
        for (Viewer viewer : liveViewers) {
            assertThat(viewer.last().event()).isEqualTo("error");
            assertThat(viewer.last().data()).contains("\"status\":\"interrupted\"");
        }
        assertThat(replayViewers).allSatisfy(v -> assertThat(v.events).hasSizeLessThan(41));

        StoredRun stored = StoredRun.read(dataDir, live);
        assertThat(stored.status()).isEqualTo("interrupted");
        assertThat(stored.lastEventType()).isEqualTo("error");
        assertThat(stored.lastEventData()).containsPattern("\"status\":\\s*\"interrupted\"");
    }

    private static Flux<ServerSentEvent<String>> stream(WebTestClient http, String id, double speed) {
        return http.get().uri("/api/runs/{id}/events?speed={speed}", id, speed).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody();
    }
}
