package dev.deepscope.digits;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.mnist.HeldOutDigits;
import dev.deepscope.mnist.LabelledDigit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

@DeepScopeTest
class DigitsApiTest {

    @Autowired
    WebTestClient http;

    @Autowired
    HeldOutDigits heldOut;

    @Test
    void classifiesARealHeldOutDigitAndShowsEveryLayer() {
        LabelledDigit digit = heldOut.get(3);
        JsonNode body = classify("cnn", pixels(digit.pixels()));
        assertThat(body.path("prediction").asInt()).isEqualTo(digit.label());
        double sum = 0;
        for (JsonNode p : body.path("probabilities")) {
            sum += p.asDouble();
        }
        assertThat(body.path("probabilities").size()).isEqualTo(10);
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        List<String> layers = new ArrayList<>();
        body.path("layers").forEach(l -> layers.add(l.path("name").asString()));
        assertThat(layers).containsExactly("input", "conv1", "conv2", "dense", "output");
        assertThat(body.path("layers").get(1).path("activations").size()).isEqualTo(14 * 14 * 16);
    }

    @Test
    void theSeriesNetworkHasTwoLayersOfSixteen() {
        JsonNode body = classify("mlp-sigmoid", pixels(heldOut.get(0).pixels()));
        assertThat(body.path("layers").get(1).path("name").asString()).isEqualTo("hidden1");
        assertThat(body.path("layers").get(1).path("activations").size()).isEqualTo(16);
        assertThat(body.path("layers").get(2).path("activations").size()).isEqualTo(16);
        body.path("layers").get(1).path("activations").forEach(a -> assertThat(a.asDouble()).isBetween(0.0, 1.0));
    }

    static List<Arguments> badInputs() {
        List<Object> nan = new ArrayList<>(Collections.nCopies(784, 0.0));
        nan.set(17, "NaN");
        List<Object> tooBright = new ArrayList<>(Collections.nCopies(784, 0.5));
        tooBright.set(700, 1.5);
        List<Object> negative = new ArrayList<>(Collections.nCopies(784, 0.5));
        negative.set(0, -0.1);
        List<Object> withNull = new ArrayList<>(Collections.nCopies(784, 0.5));
        withNull.set(5, null);
        return List.of(
                Arguments.of("wrong length", json(Map.of("model", "cnn", "pixels", List.of(0.1, 0.2))), "pixels"),
                Arguments.of("NaN", json(Map.of("model", "cnn", "pixels", nan)), "pixels[17]"),
                Arguments.of("above 1", json(Map.of("model", "cnn", "pixels", tooBright)), "pixels[700]"),
                Arguments.of("below 0", json(Map.of("model", "cnn", "pixels", negative)), "pixels[0]"),
                Arguments.of("null pixel", json(Map.of("model", "cnn", "pixels", withNull)), "pixels[5]"),
                Arguments.of("unknown model", json(Map.of("model", "gpt-5", "pixels", Collections.nCopies(784, 0))), "model"),
                Arguments.of("no model", json(Map.of("pixels", Collections.nCopies(784, 0))), "model"),
                Arguments.of("pixels not a list", "{\"model\":\"cnn\",\"pixels\":\"white\"}", "pixels"),
                Arguments.of("malformed JSON", "{\"model\":\"cnn\",\"pixels\":[0.1,", "pixels"),
                Arguments.of("not JSON at all", "draw me a seven", "body"),
                Arguments.of("empty body", "", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsAProblemNamingTheField(String why, String body, String field) {
        http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void onlyJsonBodiesAreAccepted() {
        http.post().uri("/api/digits/classify").contentType(MediaType.TEXT_PLAIN).bodyValue("7")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void weightsOfAHiddenNeuronFormA28By28Image() {
        http.get().uri("/api/digits/models/mlp-relu/weights").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].layer").isEqualTo("hidden1")
                .jsonPath("$[0].neuronShape").isEqualTo(List.of(28, 28))
                .jsonPath("$[0].incoming.length()").isEqualTo(16)
                .jsonPath("$[0].incoming[0].length()").isEqualTo(784)
                .jsonPath("$[0].biases.length()").isEqualTo(16);
        http.get().uri("/api/digits/models/nope/weights").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.field").isEqualTo("name");
    }

    @Test
    void weightsAreSerializedOnceAndABrowserThatHasThemGets304() {
        var first = http.get().uri("/api/digits/models/mlp-relu/weights").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache())
                .expectBody(byte[].class).returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();
        http.get().uri("/api/digits/models/mlp-relu/weights").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", etag)
                .expectBody(byte[].class).isEqualTo(first.getResponseBody());
        http.get().uri("/api/digits/models/mlp-relu/weights").header("If-None-Match", etag).exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
        http.get().uri("/api/digits/models/mlp-relu/weights").header("If-None-Match", "\"other\"").exchange()
                .expectStatus().isOk();
    }

    @Test
    void heldOutSamplesAreServedByIndex() {
        http.get().uri("/api/digits/samples/0").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pixels.length()").isEqualTo(784);
        http.get().uri("/api/digits/samples/100000").exchange().expectStatus().isNotFound();
        http.get().uri("/api/digits/samples/seven").exchange().expectStatus().isBadRequest();
    }

    private JsonNode classify(String model, List<Double> pixels) {
        return http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", model, "pixels", pixels))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    static List<Double> pixels(float[] values) {
        List<Double> list = new ArrayList<>();
        for (float v : values) {
            list.add((double) v);
        }
        return list;
    }

    private static String json(Map<String, ?> body) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(body);
    }
}
