package dev.deepscope;

import dev.deepscope.web.BrowserSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Test helpers for API clients that keep a browser session, and common run requests. */
public final class Browsers {

    private Browsers() {
    }

    /** A client holding a fresh session cookie (taken from the app's first answer), like one browser. */
    public static WebTestClient withSession(WebTestClient http) {
        return as(http, newSession(http));
    }

    /** The session cookie the app gives a new visitor. */
    public static String newSession(WebTestClient http) {
        ResponseCookie cookie = http.get().uri("/api/history").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseCookies().getFirst(BrowserSession.COOKIE);
        return cookie.getValue();
    }

    /** A client that presents {@code session}'s cookie, e.g. the same browser on another instance. */
    public static WebTestClient as(WebTestClient http, String session) {
        return http.mutate().defaultCookie(BrowserSession.COOKIE, session).build();
    }

    public static JsonNode startRun(WebTestClient http, String kind, Map<String, ?> params) {
        return http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", kind, "params", params))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Every named event of run {@code id}, read from its stream until it ends (at most {@code timeout}). */
    public static List<ServerSentEvent<String>> events(WebTestClient http, String id, Duration timeout) {
        return http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).getResponseBody()
                .filter(e -> e.event() != null)
                .collectList()
                .block(timeout);
    }

    public static Map<String, ?> ticker(int ticks, int millis) {
        return Map.of("ticks", ticks, "millis", millis);
    }

    /** Plain gradient descent on a tiny network (m = every training digit, 3 steps): one side of a race. */
    public static Map<String, Object> gradientDescent() {
        return Map.of("hidden", List.of(4), "activation", "sigmoid", "learningRate", 3.0, "batchSize", 9003,
                "steps", 3, "seed", 1);
    }

    /** Mini-batch SGD on the same tiny network (m = 16, 20 steps): the other side of a race. */
    public static Map<String, Object> sgd() {
        return Map.of("hidden", List.of(4), "activation", "sigmoid", "learningRate", 3.0, "batchSize", 16,
                "steps", 20, "seed", 1);
    }

    /** A race for {@code POST /api/runs/batch}: the two train runs started together. */
    public static Map<String, Object> race(Map<String, Object> gd, Map<String, Object> sgd) {
        return Map.of("runs", List.of(Map.of("kind", "train", "params", gd), Map.of("kind", "train", "params", sgd)));
    }

    public static Map<String, ?> classify(String model) {
        return Map.of("model", model, "pixels", java.util.Collections.nCopies(784, 0.0));
    }

    public static List<String> ids(JsonNode history) {
        List<String> ids = new java.util.ArrayList<>();
        history.path("items").forEach(i -> ids.add(i.path("id").asString()));
        return ids;
    }

    /**
     * Watches the run to its end and waits until it has ended in the history (which reads the database, written a
     * moment after the run's viewers saw its end), so the next run is admitted and the history shows its result.
     */
    public static String finished(WebTestClient client, JsonNode started) {
        String id = started.path("id").asString();
        // follow its events to the end: a run nobody watches is cancelled after a few seconds
        client.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody()
                .blockLast(java.time.Duration.ofSeconds(60));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            JsonNode items = client.get().uri("/api/history?size=100").exchange()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().path("items");
            for (JsonNode item : items) {
                if (item.path("id").asString().equals(id)) {
                    return !item.path("status").asString().equals("running");
                }
            }
            return false;
        });
        return id;
    }
}
