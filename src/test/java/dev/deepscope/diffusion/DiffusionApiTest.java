package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.mnist.HeldOutDigits;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DeepScopeTest
class DiffusionApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Autowired
    HeldOutDigits heldOut;

    @Autowired
    TensorFlowExecutor executor;

    @Autowired
    Generation generation;

    @LocalServerPort
    int port;

    @Test
    void sampleReturnsCountImagesOfPixelsInZeroToOne() {
        JsonNode body = post("/api/diffusion/sample", Map.of("digit", 3, "steps", 6, "count", 3, "seed", 5, "space", "latent"))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.path("images").size()).isEqualTo(3);
        for (JsonNode image : body.path("images")) {
            assertThat(image.size()).isEqualTo(784);
            image.forEach(p -> assertThat(p.asDouble()).isBetween(0.0, 1.0));
        }
        assertThat(body.path("seconds").asDouble()).isPositive();
    }

    @Test
    void aClientThatDisconnectsStopsItsSampling() throws Exception {
        // 64 guided pixel images × 1000 steps would keep a TensorFlow slot busy for about a minute
        String body = "{\"digit\":3,\"steps\":1000,\"count\":64,\"space\":\"pixel\",\"guidance\":3}";
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(("POST /api/diffusion/sample HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.slotsInUse() == 1);   // sampling started
        }
        // the whole request would take about a minute; leaving must free the slot within a few seconds
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.slotsInUse() == 0);
    }

    static List<Arguments> badParams() {
        return List.of(
                Arguments.of(Map.of("digit", 10), "digit"),
                Arguments.of(Map.of("digit", -1), "digit"),
                Arguments.of(Map.of("prompt", "x".repeat(201)), "prompt"),
                Arguments.of(Map.of("digit", 3, "prompt", "seven"), "prompt"),
                Arguments.of(Map.of("guidance", 30.5), "guidance"),
                Arguments.of(Map.of("guidance", -1), "guidance"),
                Arguments.of(Map.of("steps", 0), "steps"),
                Arguments.of(Map.of("steps", 1001), "steps"),
                Arguments.of(Map.of("sampler", "euler"), "sampler"),
                Arguments.of(Map.of("space", "fourier"), "space"),
                Arguments.of(Map.of("count", 65), "count"),
                Arguments.of(Map.of("seed", "abc"), "seed"));
    }

    @ParameterizedTest
    @MethodSource("badParams")
    void badSampleParamsAre400NamingTheField(Map<String, Object> params, String field) {
        post("/api/diffusion/sample", params).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    /** A run makes one image: {@code count} is the sample API's alone. */
    static List<Arguments> badRunParams() {
        return badParams().stream().filter(a -> !"count".equals(a.get()[1])).toList();
    }

    @ParameterizedTest
    @MethodSource("badRunParams")
    void badRunParamsAre400NamingTheField(Map<String, Object> params, String field) {
        post("/api/runs", Map.of("kind", "diffuse", "params", params)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params." + field);
    }

    @Test
    void aDiffuseRunStreamsEveryStepThenTheImage() throws Exception {
        Map<String, Object> params = new HashMap<>(Map.of("prompt", "the number eight", "steps", 5, "guidance", 2,
                "sampler", "ddpm", "seed", 3, "noise", true));
        JsonNode run = post("/api/runs", Map.of("kind", "diffuse", "params", params)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<ServerSentEvent<String>> events = http.get().uri("/api/runs/{id}/events", run.path("id").asString())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody().filter(e -> e.event() != null).collectList()
                .block(Duration.ofSeconds(60));
        assertThat(events).extracting(ServerSentEvent::event)
                .containsExactly("prompt", "step", "step", "step", "step", "step", "done");
        JsonNode prompt = JSON.readTree(events.get(0).data());
        assertThat(prompt.path("text").asString()).isEqualTo("the number eight");
        assertThat(words(prompt.path("read"))).containsExactly("the", "number", "eight");
        List<Integer> times = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            JsonNode step = JSON.readTree(events.get(i).data());
            times.add(step.path("t").asInt());
            assertThat(step.path("x").size()).isEqualTo(784);
            assertThat(step.path("x0").size()).isEqualTo(784);
            assertThat(step.path("noiseConditional").size()).isEqualTo(784);
            assertThat(step.path("noiseUnconditional").size()).isEqualTo(784);
        }
        assertThat(times).containsExactly(999, 799, 599, 399, 199);
        JsonNode done = JSON.readTree(events.get(6).data());
        assertThat(done.path("image").size()).isEqualTo(784);
        // the run's image is the sample API's image for the same params and seed
        params.remove("noise");
        JsonNode sample = post("/api/diffusion/sample", params).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (int j = 0; j < 784; j++) {
            assertThat(done.path("image").get(j).asDouble()).isEqualTo(sample.path("images").get(0).get(j).asDouble());
        }
    }

    /**
     * 150 latent steps stream every second step and the last (76 frames): only those are decoded by the VAE into
     * pictures, not all 150.
     */
    @Test
    void aLatentRunDecodesOnlyTheFramesItStreams() {
        long before = generation.framesMade();
        JsonNode run = post("/api/runs", Map.of("kind", "diffuse", "params", Map.of("digit", 7, "steps", 150,
                "space", "latent", "seed", 2))).expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        List<ServerSentEvent<String>> events = http.get().uri("/api/runs/{id}/events", run.path("id").asString())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody().filter(e -> e.event() != null).collectList()
                .block(Duration.ofSeconds(60));
        List<Integer> shown = events.stream().filter(e -> "step".equals(e.event()))
                .map(e -> JSON.readTree(e.data()).path("index").asInt()).toList();
        assertThat(shown).hasSize(76).startsWith(0, 2, 4).endsWith(146, 148, 149);
        assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        assertThat(generation.framesMade() - before).as("frames decoded").isEqualTo(shown.size());
    }

    @Test
    void clipSimilarityIsACosineMatrixThatReadsRealDigits() {
        // three held-out digits of each class (30 images), against one caption per digit
        List<List<Float>> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            texts.add("a handwritten " + d);
            for (int k = 0; k < 3; k++) {
                float[] pixels = heldOut.get(indexOf(d, k)).pixels();
                List<Float> list = new ArrayList<>();
                for (float p : pixels) {
                    list.add(p);
                }
                images.add(list);
                labels.add(d);
            }
        }
        JsonNode body = post("/api/clip/similarity", Map.of("images", images, "texts", texts)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode matrix = body.path("similarity");
        assertThat(matrix.size()).isEqualTo(30);
        int right = 0;
        for (int i = 0; i < 30; i++) {
            assertThat(matrix.get(i).size()).isEqualTo(10);
            int best = 0;
            for (int j = 0; j < 10; j++) {
                assertThat(matrix.get(i).get(j).asDouble()).isBetween(-1.0001, 1.0001);
                best = matrix.get(i).get(j).asDouble() > matrix.get(i).get(best).asDouble() ? j : best;
            }
            right += best == labels.get(i) ? 1 : 0;
        }
        // the target for zero-shot reading is 90 %: 27 of 30
        assertThat(right).isGreaterThanOrEqualTo(27);
        post("/api/clip/similarity", Map.of("images", images, "texts", List.of())).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("texts");
        post("/api/clip/similarity", Map.of("images", List.of(List.of(0.5)), "texts", texts)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("images[0]");
    }

    @Test
    void aSampleSaysWhichWordsOfALongPromptClipDropped() {
        // 15 words: CLIP reads 11 and drops the last 4 (two of them words it would not know anyway)
        String prompt = "a handwritten drawing of the number seven written neatly by hand on a small page";
        JsonNode body = post("/api/diffusion/sample", Map.of("prompt", prompt, "steps", 2, "space", "latent"))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode reading = body.path("prompt");
        assertThat(reading.path("text").asString()).isEqualTo(prompt);
        assertThat(words(reading.path("read"))).containsExactly("a", "handwritten", "drawing", "of", "the", "number",
                "seven", "written", "neatly", "by", "hand");
        assertThat(words(reading.path("unknown"))).isEmpty();
        assertThat(words(reading.path("dropped"))).containsExactly("on", "a", "small", "page");
    }

    @Test
    void aSampleSaysWhichWordsClipDoesNotKnow() {
        JsonNode reading = post("/api/diffusion/sample", Map.of("prompt", "a cat", "steps", 2, "space", "latent"))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().path("prompt");
        assertThat(words(reading.path("read"))).containsExactly("a");
        assertThat(words(reading.path("unknown"))).containsExactly("cat");
        assertThat(words(reading.path("dropped"))).isEmpty();
        // a digit is asked for as its caption, and the answer says so
        JsonNode digit = post("/api/diffusion/sample", Map.of("digit", 4, "steps", 2, "space", "latent"))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().path("prompt");
        assertThat(digit.path("text").asString()).isEqualTo("a handwritten four");
        assertThat(words(digit.path("read"))).containsExactly("a", "handwritten", "four");
    }

    @Test
    void clipReadAndSimilaritySayWhichWordsWereReadPerText() {
        JsonNode reading = http.get().uri(u -> u.path("/api/clip/read").queryParam("text", "Draw me a 17, zebra!").build())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        // lower-cased, split on anything but letters and figures, a numeral read figure by figure
        assertThat(words(reading.path("read"))).containsExactly("draw", "me", "a", "1", "7");
        assertThat(words(reading.path("unknown"))).containsExactly("zebra");
        http.get().uri(u -> u.path("/api/clip/read").queryParam("text", "x".repeat(201)).build()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("text");
        http.get().uri("/api/clip/read").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("text");

        List<Float> image = new ArrayList<>();
        for (float p : heldOut.get(0).pixels()) {
            image.add(p);
        }
        JsonNode matrix = post("/api/clip/similarity", Map.of("images", List.of(image),
                "texts", List.of("seven", "a purple cat"))).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(matrix.path("prompts").size()).isEqualTo(2);
        assertThat(words(matrix.path("prompts").get(0).path("read"))).containsExactly("seven");
        assertThat(words(matrix.path("prompts").get(1).path("read"))).containsExactly("a");
        assertThat(words(matrix.path("prompts").get(1).path("unknown"))).containsExactly("purple", "cat");
    }

    private static List<String> words(JsonNode array) {
        assertThat(array.isArray()).as("a list of words: %s", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(w -> out.add(w.asString()));
        return out;
    }

    @Test
    void theScheduleFallsFromOneToAlmostZero() {
        JsonNode body = http.get().uri("/api/diffusion/schedule").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.path("alphaBar").size()).isEqualTo(1000);
        assertThat(body.path("alphaBar").get(0).asDouble()).isCloseTo(0.9999, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(body.path("alphaBar").get(999).asDouble()).isLessThan(1e-4);
    }

    /** The index of the (k+1)-th held-out digit labelled {@code digit} (the test set is not sorted by label). */
    private int indexOf(int digit, int k) {
        for (int i = 0; i < heldOut.count(); i++) {
            if (heldOut.get(i).label() == digit && k-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no held-out " + digit);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
