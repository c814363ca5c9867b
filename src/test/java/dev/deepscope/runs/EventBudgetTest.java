package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of run at its largest allowed params stays within its event budget
 * ({@code deepscope.events.budget.*}), measured where it counts: the bytes and rows in {@code run_events}.
 * Prints the table ({@code MEASURE} lines) that the README quotes.
 */
@DeepScopeTest
class EventBudgetTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RunKinds runs;

    @Autowired
    EventBudgets budgets;

    @BeforeEach
    void patient() {
        http = http.mutate().responseTimeout(Duration.ofMinutes(10)).build();
    }

    /** One measured run: what it stored, against its kind's budget. */
    record Stored(String what, String kind, long events, long bytes) {
    }

    @Test
    void everyKindAtItsLargestParamsStaysWithinItsBudget() {
        List<Integer> digit = new ArrayList<>();
        http.get().uri("/api/digits/samples/0").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().path("pixels").forEach(p -> digit.add(p.asInt()));
        Map<String, Map<String, Object>> largest = new LinkedHashMap<>();
        for (String model : List.of("mlp-sigmoid", "mlp-relu", "cnn")) {
            largest.put("classify " + model, Map.of("kind", "classify", "params", Map.of("model", model, "pixels", digit,
                    "preActivations", true)));
        }
        String prompt = "Call me Ishmael. ".repeat(118).substring(0, 2000);
        largest.put("generate 512 tokens + attention", Map.of("kind", "generate", "params", Map.of("prompt", prompt,
                "maxTokens", 512, "temperature", 1.0, "topK", 0, "topP", 1.0, "seed", 3, "attention", true)));
        String caption = "a big bold handwritten seven drawn with a thick pen ".repeat(4).substring(0, 200);
        for (String space : List.of("pixel", "latent")) {
            largest.put("diffuse " + space + " 1000 ddpm steps + noise + inside", Map.of("kind", "diffuse", "params",
                    Map.of("prompt", caption, "guidance", 30, "steps", 1000, "sampler", "ddpm", "space", space,
                            "seed", 5, "noise", true, "inside", true)));
        }
        // a train-text run emits at fixed fractions of its time, so 3 s emit as many events as 120 s (TrainTextRun)
        largest.put("train-text 95,000 characters, char, 3 s", Map.of("kind", "train-text", "params", Map.of(
                "text", dev.deepscope.text.training.MobyDick.training().substring(0, 95_000), "seconds", 3,
                "tokenizer", "char", "seed", 1)));
        largest.put("train 3×256, 20,000 steps, m = 32", Map.of("kind", "train", "params", Map.of(
                "hidden", List.of(256, 256, 256), "activation", "relu", "learningRate", 0.4, "batchSize", 32,
                "steps", 20_000, "seed", 1)));
        assertThat(largest.values().stream().map(r -> (String) r.get("kind")).distinct().sorted().toList())
                .as("every kind the service runs (but the tests' ticker)")
                .isEqualTo(runs.kinds().stream().filter(k -> !k.equals("ticker")).toList());

        List<Stored> table = new ArrayList<>();
        largest.forEach((what, request) -> table.add(measure(what, request)));
        System.out.println("MEASURE | run | events | bytes stored | budget (events / bytes) |");
        for (Stored s : table) {
            EventBudgets.Budget budget = budgets.of(s.kind());
            System.out.printf("MEASURE | %s | %,d | %,d | %,d / %,d |%n", s.what(), s.events(), s.bytes(),
                    budget.events(), budget.bytes().toBytes());
        }
        for (Stored s : table) {
            EventBudgets.Budget budget = budgets.of(s.kind());
            assertThat(s.events()).as(s.what() + ": events").isLessThanOrEqualTo(budget.events());
            assertThat(s.bytes()).as(s.what() + ": bytes").isLessThanOrEqualTo(budget.bytes().toBytes());
        }
        assertThat(budgets.of("generate").bytes().toBytes()).as("the issue's bound").isLessThanOrEqualTo(2_000_000);
    }

    /**
     * The central guard, through the real run core: a worker (the tests' ticker, held to the default budget) that
     * emits more events than its budget has kept only the first ones, streamed and stored alike, and its done
     * says how many were held back.
     */
    @Test
    void aWorkerEmittingPastItsBudgetIsStoppedThereAndDoneSaysSo() {
        long allowed = budgets.of("ticker").events();
        JsonNode run = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "ticker", "params", Map.of("ticks", allowed + 500, "millis", 0))).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = run.path("id").asString();
        List<ServerSentEvent<String>> events = dev.deepscope.Browsers.events(http, id, Duration.ofMinutes(2));
        assertThat(events).filteredOn(e -> "tick".equals(e.event())).hasSize((int) allowed);
        ServerSentEvent<String> done = events.get(events.size() - 1);
        assertThat(done.event()).isEqualTo("done");
        assertThat(done.data()).contains("\"ticks\":" + (allowed + 500), "\"heldBack\":500", "\"kept\":" + allowed);
        long stored = jdbc.sql("select count(*) from run_events where run_id = ?").param(id).query(Long.class).single();
        assertThat(stored).as("the kept ticks and done").isEqualTo(allowed + 1);
        http.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("done").jsonPath("$.result.budget.heldBack").isEqualTo(500);
    }

    private Stored measure(String what, Map<String, Object> request) {
        JsonNode run = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = run.path("id").asString();
        ServerSentEvent<String> last = http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null).last().block(Duration.ofMinutes(10));
        assertThat(last.event()).as(what).isEqualTo("done");
        assertThat(last.data()).as(what + ": nothing was held back").doesNotContain("\"budget\"");
        Map<String, Object> row = jdbc.sql("select count(*) as events, coalesce(sum(octet_length(data::text)), 0) as bytes"
                + " from run_events where run_id = ?").param(id).query().singleRow();
        return new Stored(what, (String) request.get("kind"), ((Number) row.get("events")).longValue(),
                ((Number) row.get("bytes")).longValue());
    }
}
