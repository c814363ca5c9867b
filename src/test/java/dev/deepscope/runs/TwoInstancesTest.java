package dev.deepscope.runs;

import static dev.deepscope.Browsers.as;
import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.newSession;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.AppInstance;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.system.DeepScopeProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * Two app instances on one PostgreSQL behave as one: sessions, history and share links work on either,
 * and a viewer on B follows live a run computing on A (LISTEN/NOTIFY carrying ids, events from the table).
 */
@DeepScopeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient a;

    @Autowired
    EmbeddedPostgres database;

    @Autowired
    DeepScopeProperties properties;

    AppInstance instanceB;
    WebTestClient b;

    @BeforeAll
    void startSecondInstance() {
        instanceB = AppInstance.start(Map.of(
                "spring.datasource.url", database.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                // A's data directory, so B signs sessions with A's key (B's database is A's, not one of its own)
                "deepscope.data-dir", properties.dataDir().toString()));
        b = instanceB.http();
    }

    @AfterAll
    void stopSecondInstance() {
        instanceB.close();
    }

    @Test
    void aViewerOnBFollowsLiveARunComputingOnA() {
        String id = startRun(a, "ticker", ticker(30, 40)).path("id").asString();   // ~1.2 s of ticks on A
        List<Long> arrivals = new ArrayList<>();
        List<ServerSentEvent<String>> events = events(b, id, null)
                .doOnNext(e -> arrivals.add(System.nanoTime()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).extracting(ServerSentEvent::id)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 31).mapToObj(Integer::toString).toList());
        assertThat(events.get(30).event()).isEqualTo("done");
        long spreadMillis = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
        assertThat(spreadMillis).as("events reached B as A computed them, not all at the end").isGreaterThan(500);
    }

    @Test
    void sessionsHistoryAndShareLinksWorkOnEitherInstance() {
        String alice = newSession(a);
        WebTestClient aliceOnA = as(a, alice);
        WebTestClient aliceOnB = as(b, alice);
        String id = startRun(aliceOnA, "classify", classify("cnn")).path("id").asString();

        var history = aliceOnB.get().uri("/api/history").exchange().expectStatus().isOk()
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody();
        assertThat(ids(history)).containsExactly(id);
        b.get().uri("/r/{id}", id).exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("data-shared-run=\"" + id + "\""));
        assertThat(ids(withSession(b).get().uri("/api/history").exchange()
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody())).isEmpty();
    }

    @Test
    void cancellingOnBStopsTheRunComputingOnA() {
        String owner = newSession(a);
        String id = startRun(as(a, owner), "ticker", ticker(10_000, 20)).path("id").asString();
        Flux<ServerSentEvent<String>> watching = events(a, id, null).cache();
        watching.take(2).blockLast(Duration.ofSeconds(10));
        as(b, owner).delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted();
        ServerSentEvent<String> last = watching.blockLast(Duration.ofSeconds(10));
        assertThat(last.event()).isEqualTo("cancelled");
    }

    @Test
    void aViewerOnBKeepsARunOnAFromBeingCancelledAsUnwatched() {
        String id = startRun(a, "ticker", ticker(120, 40)).path("id").asString();   // ~4.8 s > 3 s unwatched timeout
        ServerSentEvent<String> last = events(b, id, null).blockLast(Duration.ofSeconds(30));
        assertThat(last.event()).isEqualTo("done");
    }

    private static Flux<ServerSentEvent<String>> events(WebTestClient client, String id, String lastEventId) {
        var request = client.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }
}
