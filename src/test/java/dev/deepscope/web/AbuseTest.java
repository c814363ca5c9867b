package dev.deepscope.web;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.newSession;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Holding under load and bad input: limits answer 429 at once, other origins 403, huge bodies 413. */
@DeepScopeTest
class AbuseTest {

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    @Test
    void oneSessionStartingTooMuchWorkIsRateLimitedAndToldItIsItsOwnLimit() {
        // at once, so the limit is met within one period however slow this machine is
        WebClient eager = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultCookie(BrowserSession.COOKIE, newSession(http)).build();
        List<JsonNode> live = refusals(eager, "/api/digits/classify", classify("mlp-sigmoid"), 1_000);
        assertThat(live).as("live answers refused for their rate (5 × 60 per 10 s per session)")
                .anySatisfy(p -> assertThat(p.path("reason").asString()).isEqualTo("rate-limit"));
        List<JsonNode> runs = refusals(eager, "/api/runs", Map.of("kind", "classify", "params", classify("cnn")), 200);
        JsonNode problem = runs.stream().filter(p -> "rate-limit".equals(p.path("reason").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no rate-limit refusal among " + runs));
        int retryAfter = problem.path("retryAfter").asInt();
        assertThat(retryAfter).as("Retry-After: the wait until the bucket refills").isBetween(1, 10);
        assertThat(problem.path("detail").asString()).startsWith("You are going faster than")
                .contains("per browser session").contains("ready again in " + retryAfter + " s");
        // another browser is not affected
        withSession(http).post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(classify("cnn")).exchange().expectStatus().isOk();
    }

    /** Sends {@code count} requests 64 at a time; the problems of those refused with 429, with their Retry-After. */
    private static List<JsonNode> refusals(WebClient client, String path, Object body, int count) {
        return Flux.range(0, count).flatMap(i -> client.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchangeToMono(r -> r.statusCode().value() != 429 ? r.releaseBody().then(Mono.<JsonNode>empty())
                        : r.bodyToMono(ObjectNode.class).map(p -> p.put("retryAfter",
                                Integer.parseInt(r.headers().asHttpHeaders().getFirst("Retry-After"))))), 64)
                .collectList().block();
    }

    @Test
    void oneSessionMayHaveOnlyAFewRunsComputingAtOnce() {
        WebTestClient greedy = withSession(http);
        List<String> running = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                running.add(startRun(greedy, "ticker", ticker(10_000, 20)).path("id").asString());
            }
            greedy.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("kind", "ticker", "params", ticker(1, 1))).exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("4 runs computing"))
                    .jsonPath("$.reason").isEqualTo("own-runs");
        } finally {
            running.forEach(id -> greedy.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted());
        }
    }

    @Test
    void otherOriginsCannotUseTheApi() {
        http.post().uri("/api/runs").header("Origin", "https://evil.example").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "classify", "params", classify("cnn"))).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Origin");
        http.get().uri("/api/history").header("Sec-Fetch-Site", "cross-site").exchange().expectStatus().isForbidden();
        http.post().uri("/api/runs").header("Origin", "http://localhost:" + port).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "classify", "params", classify("cnn"))).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void aBodyOverTheLimitIs413() {
        List<Double> huge = new ArrayList<>(Collections.nCopies(120_000, 0.123456789));   // 1.3 MB of JSON
        http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", "cnn", "pixels", huge)).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void pagesRunOnlyOurOwnScripts() {
        http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY)
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void runMetricsAreExposedForPrometheus() {
        startRun(http, "classify", classify("cnn"));
        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("deepscope_runs_started_total{kind=\"classify\"")
                .contains("deepscope_runs_active")
                .contains("deepscope_runs_event_latency_seconds");
    }

    /** A wrong JSON type is named in the client's terms; a fraction is refused, never truncated. */
    @Test
    void wrongTypesAreNamedWithoutTheParsersInternals() {
        record Case(Object params, String field, String detail) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("hidden", List.of(16), "steps", 2.5), "params.steps", "must be a whole number"),
                new Case(Map.of("hidden", List.of(16.5)), "params.hidden[0]", "must be a whole number"),
                new Case(Map.of("seed", 1.5), "params.seed", "must be a whole number"),
                new Case(Map.of("hidden", "16"), "params.hidden", "must be a list"),
                new Case(Map.of("learningRate", List.of(1)), "params.learningRate", "must be a number"),
                // JSON's own types: a number in quotes is text, a number is not text, 1 is not true
                new Case(Map.of("steps", "300"), "params.steps", "must be a whole number"),
                new Case(Map.of("learningRate", "0.5"), "params.learningRate", "must be a number"),
                new Case(Map.of("activation", 12), "params.activation", "must be"));
        for (Case c : cases) {
            JsonNode problem = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("kind", "train", "params", c.params())).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(problem.path("field").asString()).as(c.toString()).isEqualTo(c.field());
            assertThat(problem.path("detail").asString()).as(c.toString()).contains(c.detail())
                    .doesNotContain("`").doesNotContain("JsonToken").doesNotContain("deserialize");
        }
    }

    /** JSON scalars are what they are: Jackson's coercions ("3" → 3, 12 → "12", 1 → true) are refused. */
    @Test
    void scalarsOfTheWrongJsonTypeAreRefusedNotCoerced() {
        record Case(String path, String body, String field, String detail) {
        }
        List<Case> cases = List.of(
                new Case("/api/text/score", "{\"text\":12}", "text", "must be text"),
                new Case("/api/text/tokenize", "{\"text\":\"a whale\",\"tokenizer\":true}", "tokenizer", "must be text"),
                new Case("/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"Call me\",\"maxTokens\":\"8\"}}",
                        "params.maxTokens", "must be a whole number"),
                new Case("/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"Call me\",\"temperature\":\"0.7\"}}",
                        "params.temperature", "must be a number"));
        for (Case c : cases) {
            JsonNode problem = http.post().uri(c.path()).contentType(MediaType.APPLICATION_JSON).bodyValue(c.body())
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(problem.path("field").asString()).as(c + " → " + problem).isEqualTo(c.field());
            assertThat(problem.path("detail").asString()).as(c + " → " + problem).contains(c.detail());
        }
    }

    /** Errors Spring raises before our code runs still name what was wrong, in words, like ours. */
    @Test
    void errorsBeforeOurCodeNameTheirField() {
        record Case(org.springframework.http.HttpMethod method, String path, MediaType type, Object body, int status,
                    String field) {
        }
        List<Case> cases = List.of(
                new Case(org.springframework.http.HttpMethod.POST, "/api/text/score", MediaType.APPLICATION_JSON,
                        Map.of("text", "a".repeat(1_200_000)), 413, "body"),   // over the 1 MB body limit
                new Case(org.springframework.http.HttpMethod.POST, "/api/text/score", MediaType.TEXT_PLAIN,
                        "hello", 415, "Content-Type"),
                new Case(org.springframework.http.HttpMethod.GET, "/api/digits/classify", null, null, 405, "method"),
                new Case(org.springframework.http.HttpMethod.GET, "/api/nothing", null, null, 404, "path"),
                new Case(org.springframework.http.HttpMethod.GET, "/api/digits/samples/1.5", null, null, 400, "index"),
                new Case(org.springframework.http.HttpMethod.POST, "/api/runs", MediaType.APPLICATION_JSON,
                        "{\"kind\":\"train\",\"params\":{\"seed\":99999999999999999999999}}", 400, "params.seed"));
        for (Case c : cases) {
            var request = http.method(c.method()).uri(c.path());
            if (c.type() != null) {
                request.contentType(c.type());
            }
            JsonNode problem = (c.body() == null ? request : request.bodyValue(c.body())).exchange()
                    .expectStatus().isEqualTo(c.status())
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(problem.path("field").asString()).as(c + " → " + problem).isEqualTo(c.field());
            assertThat(problem.path("detail").asString()).as(c + " → " + problem).isNotBlank()
                    .doesNotContain("Type mismatch").doesNotContain("static resource")
                    .doesNotContain("well-formed");
        }
    }
}
