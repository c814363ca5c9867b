package dev.deepscope.text.own;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.text.training.MobyDick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code train-text} run through the runs API: a tiny GPT trained for a few seconds on 8 KB of Moby-Dick predicts
 * its held-out tail better than it did untrained, and its samples turn from noise into words of the text; then
 * the kept model writes. Bad params get problem+json naming the field; a cancelled run stops at once.
 */
@DeepScopeTest
class TrainTextRunTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern WORD = Pattern.compile("\\p{L}{2,}");
    private static final String TEXT = MobyDick.chapter(1).substring(0, 8000);
    private static final int SECONDS = 15;

    @Autowired
    WebTestClient http;

    /** Both tokenizers train at once (each run has its own training slot), so the test waits for them once. */
    @Test
    void aCharacterAndABpeModelLearnTheTextAndTheKeptModelWrites() {
        // each stream is opened as soon as its run is made: a run nobody watches is cancelled
        String charRun = start(Map.of("text", TEXT, "seconds", SECONDS, "tokenizer", "char", "seed", 1));
        var charStream = events(charRun).toFuture();
        String bpeRun = start(Map.of("text", TEXT, "seconds", SECONDS, "tokenizer", "bpe", "seed", 1));
        var bpeStream = events(bpeRun).toFuture();
        Map<String, List<JsonNode>> charEvents = charStream.orTimeout(3, TimeUnit.MINUTES).join();
        Map<String, List<JsonNode>> bpeEvents = bpeStream.orTimeout(3, TimeUnit.MINUTES).join();
        JsonNode done = learned(charEvents, "char");
        assertThat(done.path("heldOutCharacters").asInt()).isEqualTo(800);
        JsonNode setup = bpeEvents.get("setup").get(0);
        assertThat(setup.path("vocabulary").asInt()).isEqualTo(256 + 128);
        assertThat(setup.path("tokens")).hasSize(128);                // the merges, readable
        learned(bpeEvents, "bpe");

        JsonNode written = http.post().uri("/api/text/trained/{id}/generate", charRun).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("prompt", "Call me", "maxTokens", 150, "temperature", 0.5, "seed", 2)).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(written.path("tokens")).hasSize(150);
        // 150 characters is past the 64 of context: writing went on from a fresh cache
        assertThat(written.path("text").asString()).startsWith("Call me").hasSize("Call me".length() + 150);
        http.post().uri("/api/text/trained/{id}/generate", charRun).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("prompt", "日本")).exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.field").isEqualTo("prompt");
        http.post().uri("/api/text/trained/{id}/generate", "no-such-run").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.field").isEqualTo("runId");
    }

    /** The held-out bits per character fell, and the last sample has more of the text's words than the first. */
    private static JsonNode learned(Map<String, List<JsonNode>> events, String tokenizer) {
        JsonNode done = events.get("done").get(0);
        List<JsonNode> samples = events.get("sample");
        List<JsonNode> metrics = events.get("metric");
        double start = done.path("startBitsPerChar").asDouble();
        double end = done.path("heldOutBitsPerChar").asDouble();
        String firstSample = samples.get(0).path("text").asString();
        String lastSample = samples.get(samples.size() - 1).path("text").asString();
        double first = wordsOfText(firstSample);
        double last = wordsOfText(lastSample);
        double firstTrigrams = trigramsOfText(firstSample);
        double lastTrigrams = trigramsOfText(lastSample);
        System.out.printf("MEASURE | train-text %s " + SECONDS + " s | %d steps, %.0f tokens/s | held out %.2f → %.2f bits/char |"
                        + " words of the text %.2f → %.2f | trigrams of the text %.2f → %.2f | last sample: %s%n",
                tokenizer, done.path("steps").asLong(), done.path("tokensPerSecond").asDouble(), start, end, first, last,
                firstTrigrams, lastTrigrams,
                samples.get(samples.size() - 1).path("text").asString().replace('\n', ' '));
        // by 0.5 at least: on a text this short a model that takes many steps (a quiet machine) starts to overfit
        assertThat(end).as("held-out bits per character").isLessThan(start - 0.5);
        // closer to the text: its letters follow each other as in the text, and no fewer of its words are the text's
        // (after a few hundred steps on a busy machine a char model spells only the shortest words)
        assertThat(lastTrigrams).as("share of the last sample's trigrams found in the text").isGreaterThan(firstTrigrams + 0.3);
        assertThat(last).as("share of the last sample's words found in the text").isGreaterThanOrEqualTo(first);
        assertThat(metrics.get(metrics.size() - 1).path("loss").asDouble()).isLessThan(metrics.get(0).path("loss").asDouble());
        JsonNode attention = events.get("attention").get(events.get("attention").size() - 1).path("weights");
        assertThat(attention).hasSize(2);                                      // blocks
        assertThat(attention.get(0)).hasSize(4);                               // heads
        assertThat(attention.get(0).get(0)).hasSize(24);                       // query rows of the snippet
        assertThat(attention.get(1).get(3).get(23)).hasSize(24);               // causal: row q has q + 1 keys
        double rowSum = 0;
        for (JsonNode w : attention.get(1).get(3).get(23)) {
            rowSum += w.asDouble();
        }
        assertThat(rowSum).as("a softmax row, rounded to 0.01 per cell").isBetween(0.85, 1.15);
        return done;
    }

    /** The share of a sample's words (2+ letters) that are words of the text; 0 for a sample without one. */
    private static double wordsOfText(String sample) {
        Set<String> words = WORD.matcher(TEXT).results().map(m -> m.group().toLowerCase()).collect(Collectors.toSet());
        List<String> written = WORD.matcher(sample).results().map(m -> m.group().toLowerCase()).toList();
        return written.isEmpty() ? 0 : (double) written.stream().filter(words::contains).count() / written.size();
    }

    /** The share of a sample's character trigrams (of 3 consecutive characters) that occur in the text. */
    private static double trigramsOfText(String sample) {
        int n = sample.length() - 2;
        long found = java.util.stream.IntStream.range(0, Math.max(0, n))
                .filter(i -> TEXT.contains(sample.substring(i, i + 3))).count();
        return n <= 0 ? 0 : (double) found / n;
    }

    @Test
    void badParamsAreProblemsNamingTheField() {
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("params.text", Map.of("text", ""));
        bad.put("params.text ", Map.of("text", TEXT, "chapter", 1));
        bad.put("params.text  ", Map.of("seconds", 10));
        bad.put("params.text   ", Map.of("text", "é".repeat(60_000)));                 // 120 KB of UTF-8: over the 100 KB a text may have
        bad.put("params.seconds", Map.of("text", TEXT, "seconds", 0));
        bad.put("params.seconds ", Map.of("text", TEXT, "seconds", 500));
        bad.put("params.tokenizer", Map.of("text", TEXT, "tokenizer", "x"));
        bad.put("params.chapter", Map.of("chapter", 136));
        // BPE squeezes a repetitive text into a few tokens, too few for one context window (was a failed run)
        bad.put("params.text    ", Map.of("text", "a".repeat(1000), "tokenizer", "bpe"));
        bad.put("params.text     ", Map.of("text", "\uD83D\uDE00".repeat(25_000), "tokenizer", "bpe"));
        bad.forEach((field, params) -> http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "train-text", "params", params)).exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field.strip()));
        // 10 MB is refused before it is read whole: the body is larger than the server accepts
        http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "train-text", "params", Map.of("text", "a".repeat(10 << 20)))).exchange()
                .expectStatus().isEqualTo(413).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("body");
    }

    @Test
    void aCancelledRunStopsAtOnceAndKeepsWhatItLearned() {
        WebTestClient learner = Browsers.withSession(http);
        String id = learner.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "train-text", "params", Map.of("chapter", 1, "seconds", 120, "seed", 3)))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("id").asString();
        List<String> seen = new CopyOnWriteArrayList<>();
        http.mutate().responseTimeout(Duration.ofMinutes(3)).build().get().uri("/api/runs/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null).subscribe(e -> seen.add(e.event()));
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("metric"));
        long cancelledAt = System.nanoTime();
        learner.delete().uri("/api/runs/{id}", id).exchange().expectStatus().is2xxSuccessful();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("cancelled"));
        double seconds = (System.nanoTime() - cancelledAt) / 1e9;
        System.out.printf("MEASURE | train-text cancelled | ended %.2f s after DELETE%n", seconds);
        assertThat(seen.get(seen.size() - 1)).isEqualTo("cancelled");
        assertThat(seen).doesNotContain("done");
        http.post().uri("/api/text/trained/{id}/generate", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("maxTokens", 20)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tokens.length()").isEqualTo(20);
    }

    private String start(Map<String, Object> params) {
        return http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "train-text", "params", params)).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString();
    }

    private Mono<Map<String, List<JsonNode>>> events(String id) {
        return http.mutate().responseTimeout(Duration.ofMinutes(3)).build().get().uri("/api/runs/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null)
                .collect(HashMap<String, List<JsonNode>>::new, (events, e) -> events
                        .computeIfAbsent(e.event(), k -> new ArrayList<>()).add(JSON.readTree(e.data())))
                .map(events -> {
                    assertThat(events).as("run " + id).containsKey("done");
                    return events;
                });
    }
}
