package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** A run computes while someone watches: DELETE, a disconnect, or nobody watching stops it. */
@DeepScopeTest
class RunCancellationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    /** One browser: only the session that started a run may cancel it. */
    @BeforeEach
    void oneBrowser() {
        http = Browsers.withSession(http);
    }

    @Test
    void deleteStopsARunningRunAndItsStreamSaysSo() {
        String id = startTicker(10_000);
        Flux<ServerSentEvent<String>> stream = events(id, null);
        List<ServerSentEvent<String>> seen = stream.take(3).collectList().block(Duration.ofSeconds(10));
        assertThat(seen).extracting(ServerSentEvent::event).containsOnly("tick");

        http.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted();
        List<ServerSentEvent<String>> all = events(id, null).collectList().block(Duration.ofSeconds(10));
        assertThat(all.get(all.size() - 1).event()).isEqualTo("cancelled");
        assertThat(all.get(all.size() - 1).data()).contains("Cancelled by request");
        status(id, "cancelled");
    }

    @Test
    void whenTheLastViewerLeavesTheRunIsCancelledAfterTheGracePeriod() {
        String id = startTicker(10_000);                                // 10,000 × 20 ms: 200 s if nobody stops it
        events(id, null).take(2).blockLast(Duration.ofSeconds(10));   // read two ticks, then hang up
        // grace is 500 ms in tests; the run would tick on for minutes
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> status(id, "cancelled"));
        List<ServerSentEvent<String>> replay = events(id, null).collectList().block(Duration.ofSeconds(10));
        assertThat(replay.get(replay.size() - 1).data()).contains("Every viewer disconnected");
    }

    @Test
    void aViewerWhoReconnectsWithinTheGracePeriodResumesWhereItLeftOff() {
        String id = startTicker(60);
        List<ServerSentEvent<String>> before = events(id, null).take(2).collectList().block(Duration.ofSeconds(10));
        List<ServerSentEvent<String>> after = events(id, before.get(1).id()).collectList().block(Duration.ofSeconds(20));
        assertThat(after.get(0).id()).isEqualTo("3");
        assertThat(after.get(after.size() - 1).event()).isEqualTo("done");
        assertThat(after).hasSize(60 - 2 + 1);
        status(id, "done");
    }

    @Test
    void anIdleStreamCarriesHeartbeatComments() {
        String id = startTicker(3, 700);                                // quiet for 0.7 s between events
        List<ServerSentEvent<String>> all = http.get().uri("/api/runs/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody().collectList().block(Duration.ofSeconds(20));
        assertThat(all).anySatisfy(e -> assertThat(e.comment()).isEqualTo("heartbeat"));   // every 200 ms in tests
        assertThat(all.get(all.size() - 1).event()).isEqualTo("done");
    }

    @Test
    void aRunNobodyOpensExpires() {
        String id = startTicker(10_000);
        status(id, "running");
        // unwatched timeout is 3 s in tests; the run would tick on for minutes
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> status(id, "cancelled"));
    }

    private String startTicker(int ticks) {
        return startTicker(ticks, 20);
    }

    private String startTicker(int ticks, int millis) {
        JsonNode run = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "ticker", "params", Map.of("ticks", ticks, "millis", millis)))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return run.path("id").asString();
    }

    private Flux<ServerSentEvent<String>> events(String id, String lastEventId) {
        var request = http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null);
    }

    private void status(String id, String expected) {
        http.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo(expected);
    }
}
