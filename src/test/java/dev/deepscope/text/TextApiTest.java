package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import dev.deepscope.engine.text.KeyValueCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DeepScopeTest
class TextApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Test
    void tokenizesWithOursOrGpt2s() {
        String text = "Call me Ishmael.";
        JsonNode ours = post("/api/text/tokenize", Map.of("text", text, "tokenizer", "model")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode gpt2 = post("/api/text/tokenize", Map.of("text", text, "tokenizer", "gpt2")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(join(ours.path("tokens"))).isEqualTo(text);
        assertThat(join(gpt2.path("tokens"))).isEqualTo(text);
        assertThat(gpt2.path("vocabulary").asInt()).isEqualTo(50_257);
        // GPT-2 (r50k_base) splits it as "Call", " me", " Ish", "ma", "el", "."
        assertThat(gpt2.path("tokens").get(0).path("id").asInt()).isEqualTo(14134);
        assertThat(gpt2.path("tokens").size()).isEqualTo(6);
        post("/api/text/tokenize", Map.of("text", "", "tokenizer", "model")).expectStatus().isOk()
                .expectBody().jsonPath("$.tokens.length()").isEqualTo(0);
        post("/api/text/tokenize", Map.of("text", "x", "tokenizer", "bert")).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("tokenizer");
    }

    @Test
    void scoresEachTokensSurprisal() {
        String text = "The whale, the whale! Towards thee I roll.";
        JsonNode score = post("/api/text/score", Map.of("text", text)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(join(score.path("tokens"))).isEqualTo(text);
        double total = 0;
        for (JsonNode t : score.path("tokens")) {
            assertThat(t.path("bits").asDouble()).isNotNegative();
            total += t.path("bits").asDouble();
        }
        assertThat(score.path("bitsPerChar").asDouble()).isCloseTo(total / text.length(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(score.path("bitsPerToken").asDouble()).isCloseTo(total / score.path("tokens").size(),
                org.assertj.core.data.Offset.offset(1e-9));
        post("/api/text/score", Map.of("text", "")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("text");
        post("/api/text/score", Map.of("text", "a".repeat(TextApi.MAX_TEXT + 1))).expectStatus().isBadRequest();
    }

    /** Every character outside ASCII: two-byte (ï, é), three-byte (日本) and four-byte (🙂, two UTF-16 units). */
    static final String UNICODE = "naïvely Café 日本 🙂";

    @Test
    void tokensAreBytesYetTheirTextsJoinBackToTheInputAndHalvesOfACharacterAreLabelled() {
        for (String tokenizer : List.of("model", "gpt2")) {
            JsonNode tokens = post("/api/text/tokenize", Map.of("text", UNICODE, "tokenizer", tokenizer))
                    .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().path("tokens");
            assertThat(join(tokens)).as(tokenizer).isEqualTo(UNICODE);
            assertSpelledAsBytes(tokens, tokenizer);
        }
        JsonNode score = post("/api/text/score", Map.of("text", UNICODE)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(join(score.path("tokens"))).isEqualTo(UNICODE);
        assertSpelledAsBytes(score.path("tokens"), "score");
        // every character counts once in bits per character, however many bytes and tokens it took
        double total = 0;
        for (JsonNode t : score.path("tokens")) {
            total += t.path("bits").asDouble();
        }
        assertThat(score.path("bitsPerChar").asDouble() * UNICODE.codePointCount(0, UNICODE.length()))
                .isCloseTo(total, org.assertj.core.data.Offset.offset(1e-6 * total));
    }

    @Test
    void aGenerateRunSpellsItsPromptAndItsTokensWithWholeCharacters() {
        List<ServerSentEvent<String>> events = generate(Map.of("prompt", UNICODE, "maxTokens", 40, "temperature", 1.5,
                "topK", 0, "topP", 1.0, "seed", 7));
        for (ServerSentEvent<String> e : events) {
            assertThat(e.data()).as(e.event()).doesNotContain("\uFFFD", "\\uFFFD", "\\ufffd");
        }
        JsonNode prompt = JSON.readTree(events.get(0).data()).path("tokens");
        assertThat(join(prompt)).isEqualTo(UNICODE);
        assertSpelledAsBytes(prompt, "prompt");
        StringBuilder written = new StringBuilder();
        events.stream().filter(e -> "token".equals(e.event())).map(e -> JSON.readTree(e.data()))
                .forEach(t -> written.append(t.path("text").asString()));
        JsonNode done = JSON.readTree(events.get(events.size() - 1).data());
        assertThat(done.path("text").asString()).startsWith(written.toString());
    }

    @Test
    void aLoneSurrogateInAnyTextInputIsABadRequestNamingTheField() {
        // the JSON escape itself, as a client would send it: Jackson reads it into a lone UTF-16 unit
        String lone = "a\\ud800b";
        String[][] inputs = {
            {"/api/text/tokenize", "{\"text\":\"" + lone + "\",\"tokenizer\":\"model\"}", "text"},
            {"/api/text/tokenize", "{\"text\":\"" + lone + "\",\"tokenizer\":\"gpt2\"}", "text"},
            {"/api/text/tokenize", "{\"text\":\"ok\",\"tokenizer\":\"gpt2\\udfff\"}", "tokenizer"},
            {"/api/text/score", "{\"text\":\"" + lone + "\"}", "text"},
            {"/api/text/score", "{\"text\":\"low first \\udc00\\ud800\"}", "text"},
            {"/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"" + lone + "\"}}", "params.prompt"},
            {"/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"ends high \\ud83d\"}}", "params.prompt"},
        };
        for (String[] input : inputs) {
            http.post().uri(input[0]).contentType(MediaType.APPLICATION_JSON).bodyValue(input[1]).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(input[2]);
        }
        // a surrogate pair written as two escapes is one character, and fine
        JsonNode pair = http.post().uri("/api/text/tokenize").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"\\ud83d\\ude42\"}").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(join(pair.path("tokens"))).isEqualTo("🙂");
    }

    /** No token shows U+FFFD; a token that is not whole characters is labelled byte by byte, like ⟨C3⟩. */
    private static void assertSpelledAsBytes(JsonNode tokens, String what) {
        int partial = 0;
        for (JsonNode t : tokens) {
            String text = t.path("text").asString();
            String label = t.path("label").asString();
            assertThat(text + label).as(what).doesNotContain("\uFFFD");
            assertThat(label).as(what).isNotEmpty();
            if (!label.equals(text)) {
                partial++;
                assertThat(label).as(what + ": a token that is not whole characters").containsPattern("⟨[0-9A-F]{2}⟩");
            }
        }
        assertThat(partial).as(what + ": tokens that split a character (日, 本 and 🙂 are 3 and 4 bytes)").isPositive();
    }

    @Test
    void aGenerateRunStreamsTokensThenTheTextAndTheSameSeedRepeatsIt() {
        Map<String, Object> params = Map.of("prompt", "Call me Ishmael.", "maxTokens", 12, "temperature", 1.0,
                "seed", 42, "attention", true);
        List<ServerSentEvent<String>> first = generate(params);
        List<ServerSentEvent<String>> second = generate(params);
        assertThat(first.get(0).event()).isEqualTo("prompt");
        assertThat(first).filteredOn(e -> "token".equals(e.event())).hasSize(12);
        // one attention event per token, with all 4 layers × 4 heads
        assertThat(first).filteredOn(e -> "attention".equals(e.event())).hasSize(12);
        ServerSentEvent<String> last = first.get(first.size() - 1);
        assertThat(last.event()).isEqualTo("done");
        JsonNode done = JSON.readTree(last.data());
        JsonNode again = JSON.readTree(second.get(second.size() - 1).data());
        assertThat(done.path("text").asString()).isNotEmpty().isEqualTo(again.path("text").asString());
        assertThat(done.path("tokensPerSecond").asDouble()).isPositive();
        JsonNode token = JSON.readTree(first.stream().filter(e -> "token".equals(e.event())).findFirst().orElseThrow().data());
        assertThat(token.path("top").size()).isEqualTo(10);
        assertThat(token.path("p").asDouble()).isBetween(0.0, 1.0);
        assertThat(token.path("logitLens").size()).isEqualTo(5);
        assertThat(token.path("residualNorms").size()).isEqualTo(5);
        // each head's weights are a softmax (sum 1), sent in thousandths: the keys shown and the earlier ones summed
        first.stream().filter(e -> "attention".equals(e.event())).map(e -> JSON.readTree(e.data())).forEach(a -> {
            assertThat(a.path("scale").asInt()).isEqualTo(1000);
            assertThat(a.path("weights").size()).isEqualTo(16);
            for (int r = 0; r < 16; r++) {
                int sum = a.path("earlier").get(r).asInt();
                for (JsonNode q : a.path("weights").get(r)) {
                    assertThat(q.isInt()).isTrue();
                    sum += q.asInt();
                }
                assertThat(sum).isCloseTo(1000, org.assertj.core.data.Offset.offset(a.path("weights").get(r).size() / 2 + 1));
            }
        });
    }

    @Autowired
    TextModel model;

    /**
     * The stored compact attention decodes to what the model computes: each token's context read afresh (prompt
     * and the tokens written before it, one forward pass, no cache shared with the run) gives weights that the
     * event's integers / scale match within the quantisation step, for the last keys and the earlier ones summed.
     */
    @Test
    void theCompactAttentionDecodesToTheModelsWeightsWithinTheQuantisationStep() {
        List<ServerSentEvent<String>> events = generate(Map.of("prompt", "Call me Ishmael. Some years ago",
                "maxTokens", 40, "temperature", 0.8, "seed", 11, "attention", true));
        List<Integer> context = new ArrayList<>();
        JSON.readTree(events.get(0).data()).path("tokens").forEach(t -> context.add(t.path("id").asInt()));
        int checked = 0;
        for (int e = 1; e < events.size() - 1; e++) {
            if (!"token".equals(events.get(e).event())) {
                continue;
            }
            JsonNode token = JSON.readTree(events.get(e).data());
            JsonNode attention = JSON.readTree(events.get(e + 1).data());
            assertThat(events.get(e + 1).event()).isEqualTo("attention");
            assertThat(attention.path("index").asInt()).isEqualTo(token.path("index").asInt());
            float[][][] exact = model.model().read(List.of(new KeyValueCache(model.config())),
                    new int[][] {context.stream().mapToInt(Integer::intValue).toArray()}, true).get(0).inspection().attention();
            int heads = attention.path("heads").asInt();
            double scale = attention.path("scale").asDouble();
            double step = 0.5 / scale + 1e-4;     // half a quantisation step, and float noise of a batched, cached pass
            assertThat(attention.path("keys").asInt()).isEqualTo(context.size());
            for (int r = 0; r < attention.path("weights").size(); r++) {
                float[] w = exact[r / heads][r % heads];
                JsonNode shown = attention.path("weights").get(r);
                assertThat(shown.size()).isEqualTo(Math.min(w.length, 24));
                double earlier = 0;
                for (int k = 0; k < w.length - shown.size(); k++) {
                    earlier += w[k];
                }
                assertThat(attention.path("earlier").get(r).asInt() / scale).isCloseTo(earlier, org.assertj.core.data.Offset.offset(step));
                for (int k = 0; k < shown.size(); k++) {
                    assertThat(shown.get(k).asInt() / scale).as("token %d row %d key %d", token.path("index").asInt(), r, k)
                            .isCloseTo(w[w.length - shown.size() + k], org.assertj.core.data.Offset.offset(step));
                }
            }
            context.add(token.path("id").asInt());
            checked++;
        }
        assertThat(checked).isEqualTo(40);
        assertThat(context.size()).as("later tokens read more keys than are sent one by one").isGreaterThan(24 + 1);
    }

    @Test
    void deleteStopsAGenerationBetweenTwoTokens() {
        WebTestClient http = dev.deepscope.Browsers.withSession(this.http);   // the owner may cancel it
        JsonNode run = dev.deepscope.Browsers.startRun(http, "generate",
                Map.of("prompt", "The whale", "maxTokens", 512, "attention", true));
        String id = run.path("id").asString();
        http.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .returnResult(SSE).getResponseBody().filter(e -> "token".equals(e.event())).take(2)
                .blockLast(Duration.ofSeconds(30));
        http.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted();
        List<ServerSentEvent<String>> all = dev.deepscope.Browsers.events(http, id, Duration.ofSeconds(30));
        assertThat(all.get(all.size() - 1).event()).isEqualTo("cancelled");
        assertThat(all).filteredOn(e -> "token".equals(e.event())).hasSizeBetween(2, 511);
    }

    @Test
    void everyGenerateParamIsCheckedAgainstItsBounds() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("prompt", List.of("", "x".repeat(2001)));
        bad.put("maxTokens", List.of(0, 513));
        bad.put("temperature", List.of(-0.1, 5.1));
        bad.put("topK", List.of(-1, 1025));
        bad.put("topP", List.of(0, 1.01));
        bad.forEach((field, values) -> {
            for (Object value : (List<?>) values) {
                Map<String, Object> params = new HashMap<>(Map.of("prompt", "The sea"));
                params.put(field, value);
                post("/api/runs", Map.of("kind", "generate", "params", params)).expectStatus().isBadRequest()
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody().jsonPath("$.field").isEqualTo("params." + field);
            }
        });
        post("/api/runs", Map.of("kind", "generate", "params", Map.of("prompt", "x", "maxTokens", "many")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("params.maxTokens");
    }

    /**
     * Texts asked for at once are decoded together: the decoding loop emits every run's tokens itself, so no run
     * waits on a thread of its own, and it gathers texts arriving a few milliseconds apart into one batch. 15 runs
     * (one test address's share of slots) average at least 12 texts per batched forward pass.
     */
    @Test
    void generateRunsStartedAtOnceAreDecodedTogether() throws Exception {
        int runs = 15;
        DecodingLoop.Batching before = model.decoding().batching();
        ExecutorService clients = Executors.newFixedThreadPool(runs);
        try {
            List<Future<List<ServerSentEvent<String>>>> written = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Map<String, Object> params = Map.of("prompt", "The whale", "maxTokens", 60, "seed", i);
                written.add(clients.submit(() -> generate(params)));
            }
            for (Future<List<ServerSentEvent<String>>> run : written) {
                List<ServerSentEvent<String>> events = run.get(2, TimeUnit.MINUTES);
                ServerSentEvent<String> last = events.get(events.size() - 1);
                assertThat(last.event()).as(last.data()).isEqualTo("done");
                assertThat(events).filteredOn(e -> "token".equals(e.event())).hasSize(60);
            }
        } finally {
            clients.shutdownNow();
        }
        // over HTTP the runs arrive as fast as a loaded machine lets 15 requests through, so they join one another
        // step by step; that the loop fills its batch with texts that arrive together is held in process
        // (ShippedTextModelTest.sixteenTextsSubmittedTogetherAreDecodedInFullBatches), the HTTP figure by the benchmark
        assertThat(model.decoding().batching().since(before).meanBatch()).as("mean batch").isGreaterThanOrEqualTo(4);
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

    private static String join(JsonNode tokens) {
        StringBuilder s = new StringBuilder();
        tokens.forEach(t -> s.append(t.path("text").asString()));
        return s.toString();
    }
}
