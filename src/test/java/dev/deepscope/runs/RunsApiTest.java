package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.mnist.HeldOutDigits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@DeepScopeTest
class RunsApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    HeldOutDigits heldOut;

    @Autowired
    TensorFlowExecutor executor;

    @Test
    void aClassifyRunStreamsOneLayerEventPerLayerThenDone() {
        JsonNode run = create("mlp-relu");
        assertThat(run.path("id").asString()).matches("[A-Za-z0-9_-]{22}");
        assertThat(run.path("status").asString()).isEqualTo("running");
        assertThat(run.path("links").path("events").asString()).endsWith("/events");

        List<ServerSentEvent<String>> events = read(run.path("id").asString(), null);
        assertThat(events).extracting(ServerSentEvent::event)
                .containsExactly("layer", "layer", "layer", "layer", "done");
        assertThat(events).extracting(ServerSentEvent::id).containsExactly("1", "2", "3", "4", "5");
        assertThat(events.get(0).data()).contains("\"name\":\"input\"");
        assertThat(events.get(4).data()).contains("\"prediction\":" + heldOut.get(1).label());

        http.get().uri("/api/runs/{id}", run.path("id").asString()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("done")
                .jsonPath("$.kind").isEqualTo("classify")
                .jsonPath("$.result.prediction").isEqualTo(heldOut.get(1).label());
    }

    @Test
    void aSecondReaderGetsTheIdenticalSequenceAndLastEventIdResumes() {
        String id = create("cnn").path("id").asString();
        List<ServerSentEvent<String>> first = read(id, null);
        List<ServerSentEvent<String>> second = read(id, null);
        assertThat(second).usingRecursiveFieldByFieldElementComparator().isEqualTo(first);

        List<ServerSentEvent<String>> resumed = read(id, "3");
        assertThat(resumed).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(first.subList(3, first.size()));
        assertThat(resumed.get(0).id()).isEqualTo("4");
    }

    @Test
    void unknownRunsAndBadResumePointsAreProblems() {
        http.get().uri("/api/runs/AAAAAAAAAAAAAAAAAAAAAA").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/runs/nope/events").exchange().expectStatus().isNotFound();
        String id = create("mlp-sigmoid").path("id").asString();
        http.get().uri("/api/runs/{id}/events", id).header("Last-Event-ID", "yesterday").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("Last-Event-ID");
    }

    @Test
    void badRunRequestsNameTheField() {
        post(Map.of("kind", "dream", "params", Map.of())).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("kind");
        post(Map.of("kind", "classify", "params", Map.of("model", "cnn", "pixels", List.of(1))))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params.pixels");
        post(Map.of("kind", "classify", "params", Map.of("model", "cnn", "pixels", "snow")))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params.pixels");
        post(Map.of("kind", "classify", "params", List.of(1, 2))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params");
    }

    @Test
    void aFullServerAnswers429WithRetryAfterAtOnce() {
        List<TensorFlowExecutor.Slot> held = new ArrayList<>();
        try {
            for (Optional<TensorFlowExecutor.Slot> s = executor.tryReserve(); s.isPresent(); s = executor.tryReserve()) {
                held.add(s.get());
            }
            post(Map.of("kind", "classify", "params", params("cnn")))
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("Retry-After", "1")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.reason").isEqualTo("server-busy");   // not the caller's own limit
            http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(params("cnn")).exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().exists("Retry-After");
        } finally {
            held.forEach(TensorFlowExecutor.Slot::release);
        }
        post(Map.of("kind", "classify", "params", params("cnn"))).expectStatus().isCreated();
    }

    @Test
    void deletingAFinishedRunKeepsItsResult() {
        http = Browsers.withSession(http);   // its owner
        String id = create("cnn").path("id").asString();
        read(id, null);
        http.delete().uri("/api/runs/{id}", id).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("done");
    }

    private JsonNode create(String model) {
        return post(Map.of("kind", "classify", "params", params(model)))
                .expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private Map<String, Object> params(String model) {
        float[] pixels = heldOut.get(1).pixels();
        List<Double> list = new ArrayList<>(Collections.nCopies(pixels.length, 0.0));
        for (int i = 0; i < pixels.length; i++) {
            list.set(i, (double) pixels[i]);
        }
        return Map.of("model", model, "pixels", list);
    }

    private WebTestClient.ResponseSpec post(Object body) {
        return http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private List<ServerSentEvent<String>> read(String id, String lastEventId) {
        var request = http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange()
                .expectStatus().isOk()
                .returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null)
                .collectList()
                .block(Duration.ofSeconds(30));
    }
}
