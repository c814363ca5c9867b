package dev.deepscope.digits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.mnist.HeldOutDigits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code "ablate"}: hidden units switched off (or pinned) inside the model's own forward pass. The references are
 * independent of the switch: the batch path (which feeds none), the weights endpoint (the output layer recomputed
 * from the returned activations), and the activation functions applied to the returned pre-activations.
 */
@DeepScopeTest
class DigitInterventionTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    HeldOutDigits heldOut;

    @Autowired
    DigitModels models;

    @Autowired
    JsonMapper json;

    @Autowired
    ClassifyRun classifyRun;

    @Test
    void anEmptyAblateListGivesExactlyTheOrdinaryAnswer() {
        for (String model : List.of("mlp-sigmoid", "mlp-relu", "cnn")) {
            float[] pixels = heldOut.get(7).pixels();
            byte[] plain = post(Map.of("model", model, "pixels", DigitsApiTest.pixels(pixels)));
            byte[] empty = post(Map.of("model", model, "pixels", DigitsApiTest.pixels(pixels), "ablate", List.of()));
            assertThat(empty).as(model).isEqualTo(plain);
            assertThat(json.readTree(plain).path("layers").get(1).has("preActivations")).as("z only when asked").isFalse();
            // the batch path feeds no switch at all: the same probabilities, bit for bit
            float[] batch = models.get(model).network().probabilities(new float[][] {pixels})[0];
            JsonNode probabilities = json.readTree(plain).path("probabilities");
            for (int d = 0; d < 10; d++) {
                assertThat(probabilities.get(d).floatValue()).as(model + " p[" + d + "]").isEqualTo(batch[d]);
            }
        }
    }

    @Test
    void aSwitchedOffNeuronIsZeroAndTheLaterLayersAreComputedWithoutIt() {
        float[] pixels = heldOut.get(0).pixels();
        JsonNode before = classify("mlp-sigmoid", pixels, List.of());
        int strongest = argMax(before.path("layers").get(2).path("activations"));
        JsonNode after = classify("mlp-sigmoid", pixels, List.of(Map.of("layer", "hidden2", "neuron", strongest)));

        assertThat(after.path("layers").get(2).path("activations").get(strongest).asDouble()).isZero();
        // its z is still what it computed; the layers before it and its neighbours are untouched
        assertThat(after.path("layers").get(2).path("preActivations"))
                .isEqualTo(before.path("layers").get(2).path("preActivations"));
        assertThat(after.path("layers").get(1)).isEqualTo(before.path("layers").get(1));
        for (int i = 0; i < 16; i++) {
            if (i != strongest) {
                assertThat(after.path("layers").get(2).path("activations").get(i))
                        .isEqualTo(before.path("layers").get(2).path("activations").get(i));
            }
        }
        assertThat(after.path("probabilities")).isNotEqualTo(before.path("probabilities"));
        // the output recomputed by hand from the weights and the returned (switched) activations: z = W a + b
        JsonNode output = weights("mlp-sigmoid").get(2);
        JsonNode a = after.path("layers").get(2).path("activations");
        JsonNode logits = after.path("layers").get(3).path("preActivations");
        for (int d = 0; d < 10; d++) {
            double z = output.path("biases").get(d).asDouble();
            for (int j = 0; j < 16; j++) {
                z += output.path("incoming").get(d).get(j).asDouble() * a.get(j).asDouble();
            }
            assertThat(logits.get(d).asDouble()).as("logit " + d).isCloseTo(z, offset(1e-4));
        }
    }

    @Test
    void withEveryNeuronOfTheLastHiddenLayerOffOnlyTheBiasesSpeak() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(Map.of("layer", "hidden2", "neuron", i));
        }
        JsonNode after = classify("mlp-relu", heldOut.get(3).pixels(), all);
        JsonNode biases = weights("mlp-relu").get(2).path("biases");
        double total = 0;
        for (int d = 0; d < 10; d++) {
            total += Math.exp(biases.get(d).asDouble());
        }
        for (int d = 0; d < 10; d++) {
            assertThat(after.path("probabilities").get(d).asDouble()).as("softmax(b)[" + d + "]")
                    .isCloseTo(Math.exp(biases.get(d).asDouble()) / total, offset(1e-6));
        }
    }

    @Test
    void aCnnChannelSwitchedOffIsAZeroFeatureMapAndAPinnedOneHoldsItsValue() {
        float[] pixels = heldOut.get(3).pixels();
        JsonNode before = classify("cnn", pixels, List.of());
        JsonNode after = classify("cnn", pixels, List.of(Map.of("layer", "conv1", "neuron", 3),
                Map.of("layer", "conv1", "neuron", 5, "value", 0.75)));
        JsonNode conv1 = after.path("layers").get(1).path("activations");
        assertThat(conv1.size()).isEqualTo(14 * 14 * 16);
        for (int p = 0; p < 14 * 14; p++) {
            assertThat(conv1.get(p * 16 + 3).asDouble()).as("cell " + p + " of channel 3").isZero();
            assertThat(conv1.get(p * 16 + 5).asDouble()).as("cell " + p + " of channel 5").isCloseTo(0.75, offset(1e-7));
        }
        assertThat(after.path("layers").get(2).path("activations"))
                .isNotEqualTo(before.path("layers").get(2).path("activations"));
        assertThat(after.path("probabilities")).isNotEqualTo(before.path("probabilities"));
    }

    @Test
    void preActivationsAreTheZThatTheActivationFunctionTurnsIntoA() {
        float[] pixels = heldOut.get(11).pixels();
        JsonNode sigmoid = classify("mlp-sigmoid", pixels, List.of()).path("layers");
        assertThat(sigmoid.get(0).has("preActivations")).as("the input has no z").isFalse();
        for (int l = 1; l <= 2; l++) {
            for (int i = 0; i < 16; i++) {
                double z = sigmoid.get(l).path("preActivations").get(i).asDouble();
                assertThat(sigmoid.get(l).path("activations").get(i).asDouble()).isCloseTo(1 / (1 + Math.exp(-z)), offset(1e-6));
            }
        }
        JsonNode cnn = classify("cnn", pixels, List.of()).path("layers");
        for (int l = 1; l <= 3; l++) {
            JsonNode a = cnn.get(l).path("activations");
            JsonNode z = cnn.get(l).path("preActivations");
            assertThat(z.size()).as(cnn.get(l).path("name").asString()).isEqualTo(a.size());
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).asDouble()).isCloseTo(Math.max(0, z.get(i).asDouble()), offset(1e-5));
            }
        }
        assertThat(cnn.get(4).path("preActivations").size()).as("the logits").isEqualTo(10);
    }

    @Test
    void aClassifyRunTakesTheSameAblateList() {
        float[] pixels = heldOut.get(1).pixels();
        List<Map<String, Object>> ablate = List.of(Map.of("layer", "dense", "neuron", 7), Map.of("layer", "conv2", "neuron", 30));
        JsonNode live = classify("cnn", pixels, ablate);
        JsonNode run = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "classify", "params",
                        Map.of("model", "cnn", "pixels", DigitsApiTest.pixels(pixels), "ablate", ablate,
                                "preActivations", true)))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<ServerSentEvent<String>> events = http.get().uri("/api/runs/{id}/events", run.path("id").asString())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody().filter(e -> e.event() != null)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).extracting(ServerSentEvent::event).containsExactly("layer", "layer", "layer", "layer", "layer", "done");
        System.out.println("cnn classify run with preActivations: " + events.stream().mapToInt(e -> e.data().length()).sum()
                + " bytes of event data");
        JsonNode dense = json.readTree(events.get(3).data());
        assertThat(dense.path("name").asString()).isEqualTo("dense");
        assertThat(dense.path("activations").get(7).asDouble()).isZero();
        assertThat(dense.path("preActivations")).as("z, within the run's event budget").hasSize(128);
        assertThat(events.get(5).data()).doesNotContain("budget");
        assertThat(json.readTree(events.get(5).data()).path("probabilities")).isEqualTo(live.path("probabilities"));
        DigitInput params = json.convertValue(
                Map.of("model", "cnn", "pixels", DigitsApiTest.pixels(pixels), "ablate", ablate), DigitInput.class);
        assertThat(classifyRun.summarize(params, live).text()).endsWith("read as " + live.path("prediction").asInt()
                + " by cnn, 2 units switched off or pinned");
    }

    static List<Arguments> badAblations() {
        return List.of(
                Arguments.of("neuron past the layer", "mlp-sigmoid", List.of(Map.of("layer", "hidden1", "neuron", 16)), "ablate[0].neuron"),
                Arguments.of("negative neuron", "cnn", List.of(Map.of("layer", "conv2", "neuron", -1)), "ablate[0].neuron"),
                Arguments.of("no neuron", "cnn", List.of(Map.of("layer", "conv2")), "ablate[0].neuron"),
                Arguments.of("neuron as text", "cnn", List.of(Map.of("layer", "conv2", "neuron", "three")), "ablate[0].neuron"),
                Arguments.of("a layer of another model", "mlp-relu", List.of(Map.of("layer", "conv1", "neuron", 0)), "ablate[0].layer"),
                Arguments.of("the output layer", "mlp-relu", List.of(Map.of("layer", "hidden1", "neuron", 0),
                        Map.of("layer", "output", "neuron", 0)), "ablate[1].layer"),
                Arguments.of("no layer", "cnn", List.of(Map.of("neuron", 0)), "ablate[0].layer"),
                Arguments.of("pinned too high", "cnn", List.of(Map.of("layer", "dense", "neuron", 0, "value", 1000)), "ablate[0].value"),
                Arguments.of("pinned negative", "cnn", List.of(Map.of("layer", "dense", "neuron", 0, "value", -1)), "ablate[0].value"),
                Arguments.of("not a list", "cnn", "hidden1", "ablate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAblations")
    void aBadAblationIsAProblemNamingItsField(String why, String model, Object ablate, String field) {
        http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", model, "pixels", DigitsApiTest.pixels(heldOut.get(0).pixels()), "ablate", ablate))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.detail").isNotEmpty();
        // the same in a run, under params
        http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "classify", "params",
                        Map.of("model", model, "pixels", DigitsApiTest.pixels(heldOut.get(0).pixels()), "ablate", ablate)))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params." + field);
    }

    private byte[] post(Map<String, Object> body) {
        return http.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
    }

    /** With the pre-activations z. */
    private JsonNode classify(String model, float[] pixels, List<Map<String, Object>> ablate) {
        return json.readTree(post(Map.of("model", model, "pixels", DigitsApiTest.pixels(pixels), "ablate", ablate,
                "preActivations", true)));
    }

    private JsonNode weights(String model) {
        return http.get().uri("/api/digits/models/{name}/weights", model).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static int argMax(JsonNode values) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i).asDouble() > values.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }
}
