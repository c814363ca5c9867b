package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Inside one head and the residual stream ({@code POST /api/text/inside}) and knockouts ({@code POST /api/text/next}):
 * the numbers the API returns are checked against the formulas recomputed here from the returned terms, against a
 * generate run's attention, and against each other (the last block's lens is the model's prediction; with every
 * part knocked out the prediction is the embedding's lens).
 */
@DeepScopeTest
class TextInsideApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TEXT = "Call me Ishmael. Some years ago, never mind how long";

    @Autowired
    WebTestClient http;

    @Test
    void oneHeadsTermsObeyTheirFormulas() {
        JsonNode inside = inside(Map.of("text", TEXT, "position", 7, "layer", 2, "head", 1));
        assertThat(join(inside.path("tokens"))).isEqualTo(TEXT);
        assertThat(inside.path("position").asInt()).isEqualTo(7);
        int d = inside.path("headWidth").asInt();
        assertThat(d).isEqualTo(32);
        int n = 8;
        double[] q = doubles(inside.path("query"));
        assertThat(q).hasSize(d);
        assertThat(inside.path("keys").size()).isEqualTo(n);
        assertThat(inside.path("values").size()).isEqualTo(n);
        double[] scores = doubles(inside.path("scores"));
        double[] weights = doubles(inside.path("weights"));
        assertThat(scores).hasSize(n);
        // scores = q·k_j / √d_k
        for (int j = 0; j < n; j++) {
            double[] k = doubles(inside.path("keys").get(j));
            assertThat(k).hasSize(d);
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += q[i] * k[i];
            }
            assertThat(scores[j]).as("score %d", j).isCloseTo(dot / Math.sqrt(d), within(1e-4 * Math.max(1, Math.abs(dot))));
        }
        // weights = softmax(scores)
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        for (int j = 0; j < n; j++) {
            assertThat(weights[j]).as("weight %d", j).isCloseTo(Math.exp(scores[j] - max) / sum, within(1e-5));
        }
        // output = Σ_j w_j v_j
        double[] output = doubles(inside.path("output"));
        for (int i = 0; i < d; i++) {
            double mixed = 0;
            for (int j = 0; j < n; j++) {
                mixed += weights[j] * inside.path("values").get(j).get(i).asDouble();
            }
            assertThat(output[i]).as("output %d", i).isCloseTo(mixed, within(1e-4));
        }
    }

    @Test
    void theResidualStreamIsAddedToAndItsLastLensIsTheModelsPrediction() {
        JsonNode inside = inside(Map.of("text", TEXT, "layer", 0, "head", 0));
        assertThat(inside.path("position").asInt()).as("the last token when no position is given")
                .isEqualTo(inside.path("tokens").size() - 1);
        JsonNode residual = inside.path("residual");
        assertThat(residual.size()).isEqualTo(4);
        assertThat(inside.path("embedding").path("stream").path("norm").asDouble()).isPositive();
        assertThat(inside.path("embedding").path("lens").size()).isEqualTo(5);
        for (int l = 0; l < 4; l++) {
            JsonNode block = residual.get(l);
            assertThat(block.path("block").asInt()).isEqualTo(l);
            for (String write : List.of("attentionWrite", "mlpWrite")) {
                assertThat(block.path(write).path("norm").asDouble()).as(write).isPositive();
                assertThat(block.path(write).path("cosine").asDouble()).as(write).isBetween(-1.0, 1.0);
            }
            assertThat(block.path("stream").path("norm").asDouble()).isPositive();
            assertThat(block.path("lens").size()).isEqualTo(5);
            double p = 1;
            for (JsonNode t : block.path("lens")) {
                assertThat(t.path("p").asDouble()).isBetween(0.0, p);
                p = t.path("p").asDouble();
            }
        }
        // the stream after the last block, through LN_f and W_U, is what the model predicts
        JsonNode next = post("/api/text/next", Map.of("text", TEXT)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode lastLens = residual.get(3).path("lens");
        for (int r = 0; r < 5; r++) {
            assertThat(lastLens.get(r).path("id").asInt()).isEqualTo(next.path("before").get(r).path("id").asInt());
            assertThat(lastLens.get(r).path("p").asDouble()).isCloseTo(next.path("before").get(r).path("before").asDouble(),
                    within(1e-3));
        }
    }

    /** The same text read by a generate run: its first attention event is the last prompt token's, every layer and head. */
    @Test
    void theWeightsAreTheOnesAGenerateRunShowsForTheSameText() {
        List<ServerSentEvent<String>> events = generate(Map.of("prompt", TEXT, "maxTokens", 1, "attention", true));
        JsonNode attention = events.stream().filter(e -> "attention".equals(e.event())).map(e -> JSON.readTree(e.data()))
                .findFirst().orElseThrow();
        assertThat(attention.path("index").asInt()).isZero();
        int heads = attention.path("heads").asInt();
        double scale = attention.path("scale").asDouble();
        for (int r = 0; r < attention.path("weights").size(); r++) {
            JsonNode inside = inside(Map.of("text", TEXT, "layer", r / heads, "head", r % heads));
            double[] weights = doubles(inside.path("weights"));
            assertThat(attention.path("keys").asInt()).isEqualTo(weights.length);
            JsonNode shown = attention.path("weights").get(r);
            assertThat(shown.size()).as("a short prompt: every key shown").isEqualTo(weights.length);
            for (int k = 0; k < weights.length; k++) {
                assertThat(shown.get(k).asInt() / scale).as("layer %d head %d key %d", r / heads, r % heads, k)
                        .isCloseTo(weights[k], within(0.5 / scale + 1e-4));
            }
        }
    }

    @Test
    void knockingOutEveryPartLeavesOnlyTheEmbeddingAndNoneChangesNothing() {
        JsonNode intact = post("/api/text/next", Map.of("text", TEXT, "ablate", List.of())).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(intact.path("klBits").asDouble()).isZero();
        assertThat(intact.path("before").size()).isEqualTo(10);
        for (JsonNode c : intact.path("before")) {
            assertThat(c.path("after").asDouble()).isEqualTo(c.path("before").asDouble());
        }
        JsonNode oneHead = post("/api/text/next", Map.of("text", TEXT, "ablate", List.of(Map.of("block", 0, "head", 2))))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(oneHead.path("klBits").asDouble()).as("one head knocked out changes the prediction").isPositive();
        assertThat(oneHead.path("ablated").get(0).path("head").asInt()).isEqualTo(2);
        List<Map<String, Object>> every = new ArrayList<>();
        for (int block = 0; block < 4; block++) {
            every.add(Map.of("block", block));
            for (int head = 0; head < 4; head++) {
                every.add(Map.of("block", block, "head", head));
            }
        }
        JsonNode none = post("/api/text/next", Map.of("text", TEXT, "ablate", every)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(none.path("klBits").asDouble()).isGreaterThan(oneHead.path("klBits").asDouble());
        // nothing is added to the stream any more: the prediction is the lens of the embedding alone
        JsonNode lens = inside(Map.of("text", TEXT, "layer", 0, "head", 0)).path("embedding").path("lens");
        for (int r = 0; r < 5; r++) {
            assertThat(none.path("after").get(r).path("id").asInt()).isEqualTo(lens.get(r).path("id").asInt());
            assertThat(none.path("after").get(r).path("after").asDouble()).isCloseTo(lens.get(r).path("p").asDouble(),
                    within(1e-3));
        }
        // a temperature reshapes both
        JsonNode hot = post("/api/text/next", Map.of("text", TEXT, "temperature", 2.0)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(hot.path("before").get(0).path("before").asDouble())
                .isLessThan(intact.path("before").get(0).path("before").asDouble());
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Map<String, Object> good = Map.of("text", TEXT, "position", 3, "layer", 1, "head", 1);
        List<Object[]> bad = List.of(
                new Object[] {"position", 99, "position"}, new Object[] {"position", -1, "position"},
                new Object[] {"layer", 4, "layer"}, new Object[] {"layer", -1, "layer"}, new Object[] {"layer", null, "layer"},
                new Object[] {"head", 4, "head"}, new Object[] {"head", null, "head"},
                new Object[] {"text", "", "text"}, new Object[] {"text", null, "text"},
                new Object[] {"text", "x".repeat(2001), "text"},
                new Object[] {"text", "whale ".repeat(200), "text"},      // under 2000 characters, over 128 tokens
                new Object[] {"position", "third", "position"});
        for (Object[] b : bad) {
            Map<String, Object> body = new HashMap<>(good);
            body.put((String) b[0], b[1]);
            post("/api/text/inside", body).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(b[2]);
        }
        List<Object[]> badNext = List.of(
                new Object[] {List.of(Map.of("block", 4)), "ablate[0].block"},
                new Object[] {List.of(Map.of("block", 1), Map.of("block", 0, "head", 7)), "ablate[1].head"},
                new Object[] {List.of(Map.of("head", 1)), "ablate[0].block"});
        for (Object[] b : badNext) {
            post("/api/text/next", Map.of("text", TEXT, "ablate", b[0])).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(b[1]);
        }
        post("/api/text/next", Map.of("text", TEXT, "temperature", 0)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("temperature");
        post("/api/text/next", Map.of("text", "")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("text");
    }

    private JsonNode inside(Map<String, Object> body) {
        return post("/api/text/inside", body).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private List<ServerSentEvent<String>> generate(Map<String, Object> params) {
        JsonNode run = post("/api/runs", Map.of("kind", "generate", "params", params)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return http.get().uri("/api/runs/{id}/events", run.path("id").asString()).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null).collectList().block(Duration.ofSeconds(60));
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static String join(JsonNode tokens) {
        StringBuilder s = new StringBuilder();
        tokens.forEach(t -> s.append(t.path("text").asString()));
        return s.toString();
    }
}
