package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.mnist.HeldOutDigits;
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

/**
 * The views that open CLIP and the VAE: CLIP's unit embeddings f and g, whose dot products are the similarity
 * matrix, and the VAE's encode → decode round trip of an image, each against the models called directly.
 */
@DeepScopeTest
class ClipVectorsAndVaeTest {

    @Autowired
    WebTestClient http;

    @Autowired
    HeldOutDigits heldOut;

    @Autowired
    GenerationModels models;

    @Test
    void clipReturnsUnitEmbeddingsWhoseDotProductsAreTheMatrix() {
        List<String> texts = List.of("a handwritten 0", "seven", "a drawing of a nine");
        List<List<Float>> images = List.of(pixels(heldOut.get(0).pixels()), pixels(heldOut.get(1).pixels()));
        JsonNode body = post("/api/clip/similarity", Map.of("images", images, "texts", texts)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode f = body.path("imageEmbeddings");
        JsonNode g = body.path("textEmbeddings");
        assertThat(f.size()).isEqualTo(2);
        assertThat(g.size()).isEqualTo(3);
        for (JsonNode v : List.of(f.get(0), f.get(1), g.get(0), g.get(1), g.get(2))) {
            assertThat(v.size()).isEqualTo(ClipModel.WIDTH);
            assertThat(norm(v)).as("‖v‖").isCloseTo(1.0, within(1e-4));
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int k = 0; k < ClipModel.WIDTH; k++) {
                    dot += f.get(i).get(k).asDouble() * g.get(j).get(k).asDouble();
                }
                assertThat(body.path("similarity").get(i).get(j).asDouble()).as("s_%d%d = f_%d·g_%d", i, j, i, j)
                        .isCloseTo(dot, within(1e-5));
            }
        }
        // the embeddings are the model's own: the engine called directly gives the same vectors
        float[] direct = models.clip().embedImages(new float[][] {heldOut.get(1).pixels()})[0];
        float[] text = models.clip().encodeTexts(new String[] {"seven"})[0].embedding();
        for (int k = 0; k < ClipModel.WIDTH; k++) {
            assertThat(f.get(1).get(k).asDouble()).isCloseTo(direct[k], within(1e-6));
            assertThat(g.get(1).get(k).asDouble()).isCloseTo(text[k], within(1e-6));
        }
    }

    @Test
    void theVaeRoundTripIsTheDecoderOfTheEncoderCalledDirectly() {
        float[] x = heldOut.get(3).pixels();
        JsonNode body = post("/api/diffusion/vae", Map.of("pixels", pixels(x))).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode latent = body.path("latent");
        assertThat(latent.size()).as("channels").isEqualTo(4);
        latent.forEach(channel -> {
            assertThat(channel.size()).as("rows").isEqualTo(7);
            channel.forEach(row -> assertThat(row.size()).as("columns").isEqualTo(7));
        });
        float[] mean = models.vae().encode(new float[][] {x})[0];
        float[] decoded = models.vae().decode(new float[][] {mean})[0];
        double std = models.latentStd();
        assertThat(body.path("latentStd").asDouble()).isEqualTo(std);
        // latent[c][y][x] is μ at (y, x, c), channels last, over σ_z
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 7; r++) {
                for (int col = 0; col < 7; col++) {
                    assertThat(latent.get(c).get(r).get(col).asDouble()).as("z[%d][%d][%d]", c, r, col)
                            .isCloseTo(mean[(r * 7 + col) * 4 + c] / std, within(1e-5));
                }
            }
        }
        assertThat(body.path("decoded").size()).isEqualTo(784);
        double squares = 0;
        for (int i = 0; i < 784; i++) {
            assertThat(body.path("decoded").get(i).asDouble()).as("x̂[%d]", i).isCloseTo(decoded[i], within(1e-6));
            squares += (decoded[i] - x[i]) * (decoded[i] - x[i]);
        }
        assertThat(body.path("meanSquaredError").asDouble()).isCloseTo(squares / 784, within(1e-6));
        // a held-out digit comes back close to itself: the shipped VAE's error is about 0.01
        assertThat(body.path("meanSquaredError").asDouble()).isLessThan(0.05);
    }

    static List<Arguments> badImages() {
        List<Double> outOfRange = new ArrayList<>(Collections.nCopies(784, 0.0));
        outOfRange.set(17, 1.5);
        List<Double> withNull = new ArrayList<>(Collections.nCopies(784, 0.0));
        withNull.set(5, null);
        return List.of(
                Arguments.of(Map.of(), "pixels"),
                Arguments.of(Map.of("pixels", List.of(0.5, 0.5)), "pixels"),
                Arguments.of(Map.of("pixels", Collections.nCopies(785, 0.0)), "pixels"),
                Arguments.of(Map.of("pixels", outOfRange), "pixels[17]"),
                Arguments.of(Collections.singletonMap("pixels", withNull), "pixels[5]"));
    }

    @ParameterizedTest
    @MethodSource("badImages")
    void aBadImageIs400NamingTheField(Map<String, Object> body, String field) {
        post("/api/diffusion/vae", body).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    @Test
    void aWrongTypeIs400NamingTheField() {
        http.post().uri("/api/diffusion/vae").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"pixels\": \"ink\"}").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("pixels");
    }

    private static List<Float> pixels(float[] values) {
        List<Float> out = new ArrayList<>();
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    private static double norm(JsonNode v) {
        double s = 0;
        for (JsonNode x : v) {
            s += x.asDouble() * x.asDouble();
        }
        return Math.sqrt(s);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
