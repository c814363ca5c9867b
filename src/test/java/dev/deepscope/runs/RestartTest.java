package dev.deepscope.runs;

import dev.deepscope.AppInstance;
import dev.deepscope.web.BrowserSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.deepscope.Browsers.as;
import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.newSession;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart loses nothing that was finished, a run the shutdown interrupted says so, and a browser's session (its
 * signed cookie) still holds its history.
 */
class RestartTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Test
    void finishedRunsSurviveARestartAndInterruptedOnesAreMarked() {
        Map<String, String> sameData = Map.of("deepscope.data-dir", "target/test-data/restart-" + UUID.randomUUID());
        String finished;
        String interrupted;
        String session;
        List<ServerSentEvent<String>> before;
        try (AppInstance first = AppInstance.start(sameData)) {
            session = newSession(first.http());
            WebTestClient http = as(first.http(), session);
            finished = startRun(http, "classify", classify("cnn")).path("id").asString();
            before = events(http, finished).collectList().block(Duration.ofSeconds(10));
            interrupted = startRun(http, "ticker", ticker(10_000, 20)).path("id").asString();
            events(http, interrupted).take(3).blockLast(Duration.ofSeconds(10));
        }
        try (AppInstance second = AppInstance.start(sameData)) {
            WebTestClient http = second.http();
            assertThat(events(http, finished).collectList().block(Duration.ofSeconds(10)))
                    .usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
            var history = as(http, session).get().uri("/api/history").exchange().expectStatus().isOk()
                    .expectBody(tools.jackson.databind.JsonNode.class).returnResult();
            assertThat(history.getResponseCookies().getFirst(dev.deepscope.web.BrowserSession.COOKIE))
                    .as("the cookie still verifies: no new one").isNull();
            assertThat(ids(history.getResponseBody())).containsExactly(interrupted, finished);
            http.get().uri("/api/runs/{id}", interrupted).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("interrupted");
            ServerSentEvent<String> last = events(http, interrupted).blockLast(Duration.ofSeconds(10));
            assertThat(last.event()).isEqualTo("error");
            assertThat(last.data()).contains("\"status\":\"interrupted\"");
        }
    }

    private static reactor.core.publisher.Flux<ServerSentEvent<String>> events(WebTestClient http, String id) {
        return http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null).cache();
    }
}
