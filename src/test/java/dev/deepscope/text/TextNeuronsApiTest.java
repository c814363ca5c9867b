package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.GptNeurons;
import dev.deepscope.engine.text.KeyValueCache;
import dev.deepscope.text.training.MobyDick;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * One MLP neuron ({@code GET /api/text/neurons/{block}/{index}}): its top contexts are the training text's own tokens
 * and carry the activation the model computes there (recomputed here by the decoding path's cached forward pass, not
 * the whole-window pass that indexed them), none is missing from a window read here token by token, and its pushes
 * are W_Uᵀ(γ ⊙ (w↓ − mean w↓)) recomputed here from the weights.
 */
@DeepScopeTest
class TextNeuronsApiTest {

    /** Neurons looked at: every block, both ends and the middle of the hidden layer. */
    private static final int[][] NEURONS = {{0, 0}, {0, 300}, {1, 17}, {2, 255}, {3, 128}, {3, 511}};

    /** The training text's tokens, encoded once for the class (about 10 s). */
    private static int[] trainingText;

    @Autowired
    WebTestClient http;
    @Autowired
    TextModel model;

    @Test
    void topContextsAreTheTrainingTextsTokensWithTheModelsOwnActivations() {
        int[] text = trainingText();
        for (int[] n : NEURONS) {
            JsonNode neuron = neuron(n[0], n[1]);
            assertThat(neuron.path("block").asInt()).isEqualTo(n[0]);
            assertThat(neuron.path("index").asInt()).isEqualTo(n[1]);
            JsonNode contexts = neuron.path("contexts");
            assertThat(contexts.size()).isEqualTo(10);
            double previous = Double.POSITIVE_INFINITY;
            for (int rank = 0; rank < contexts.size(); rank++) {
                JsonNode c = contexts.get(rank);
                double a = c.path("activation").asDouble();
                assertThat(a).as("sorted, largest first").isLessThanOrEqualTo(previous);
                previous = a;
                int position = c.path("position").asInt();
                int start = c.path("start").asInt();
                assertThat(c.path("token").path("id").asInt()).as("the training text's own token").isEqualTo(text[position]);
                assertThat(position - start).as("read with its window").isBetween(0, 127);
                if (rank < 3) {
                    // the same neuron after a forward pass over the tokens the model read: start..position
                    float[] recomputed = lastNeurons(Arrays.copyOfRange(text, start, position + 1))[n[0]];
                    assertThat(recomputed[n[1]]).as("block %d neuron %d rank %d", n[0], n[1], rank)
                            .isCloseTo((float) a, within(1e-3f * Math.max(1f, (float) Math.abs(a))));
                }
            }
            String shown = contexts.get(0).path("before").asString() + contexts.get(0).path("token").path("text").asString()
                    + contexts.get(0).path("after").asString();
            assertThat(MobyDick.trainingWithoutValidation()).as("the excerpt is the training text").contains(shown);
        }
    }

    /**
     * Every token of the text's first window (read in it, with all of 0..p before it) is read here one at a time: any
     * that fires a neuron above its tenth context must be among its contexts.
     */
    @Test
    void noTokenOfTheFirstWindowThatBeatsTheTenthIsMissing() {
        int[] text = Arrays.copyOfRange(trainingText(), 0, 128);
        GptModel gpt = model.model();
        KeyValueCache cache = new KeyValueCache(gpt.config());
        List<float[][]> byPosition = new ArrayList<>();
        for (int id : text) {
            byPosition.add(gpt.read(List.of(cache), new int[][] {{id}}, true).get(0).inspection().neurons());
        }
        for (int[] n : NEURONS) {
            JsonNode contexts = neuron(n[0], n[1]).path("contexts");
            double tenth = contexts.get(9).path("activation").asDouble();
            Set<Integer> kept = new HashSet<>();
            contexts.forEach(c -> kept.add(c.path("position").asInt()));
            for (int p = 0; p < text.length; p++) {
                float a = byPosition.get(p)[n[0]][n[1]];
                if (a > tenth + 1e-3 * Math.max(1, Math.abs(tenth))) {
                    assertThat(kept).as("block %d neuron %d: token %d fires it at %f", n[0], n[1], p, a).contains(p);
                }
            }
        }
    }

    @Test
    void itsPushesAreTheUnembeddingOfItsOutputColumnThroughTheFinalGain() {
        GptConfig config = model.config();
        for (int[] n : NEURONS) {
            GptNeurons.Weights w = GptNeurons.weights(model.model(), n[0]);
            double[] column = new double[config.width()];                 // w↓_i, row i of W↓ stored as (4C, C)
            double mean = 0;
            for (int c = 0; c < column.length; c++) {
                column[c] = w.down()[n[1]][c];
                mean += column[c] / column.length;
            }
            double[] push = new double[config.vocabulary()];
            for (int v = 0; v < push.length; v++) {
                for (int c = 0; c < column.length; c++) {
                    push[v] += w.unembedding()[c][v] * w.finalGain()[c] * (column[c] - mean);
                }
            }
            Integer[] order = new Integer[push.length];
            Arrays.setAll(order, v -> v);
            Arrays.sort(order, (a, b) -> Double.compare(push[b], push[a]));
            JsonNode neuron = neuron(n[0], n[1]);
            for (int r = 0; r < 10; r++) {
                JsonNode up = neuron.path("up").get(r);
                JsonNode down = neuron.path("down").get(r);
                assertThat(up.path("id").asInt()).as("up %d", r).isEqualTo(order[r]);
                assertThat(up.path("value").asDouble()).isCloseTo(push[order[r]], within(1e-4));
                assertThat(up.path("label").asString()).isEqualTo(model.tokenizer().tokenLabel(order[r]));
                assertThat(down.path("id").asInt()).as("down %d", r).isEqualTo(order[push.length - 1 - r]);
                assertThat(down.path("value").asDouble()).isCloseTo(push[order[push.length - 1 - r]], within(1e-4));
            }
            assertThat(neuron.path("up").get(0).path("value").asDouble()).isPositive();
            assertThat(neuron.path("down").get(0).path("value").asDouble()).isNegative();
            double upNorm = 0;
            for (float[] row : w.up()) {
                upNorm += row[n[1]] * row[n[1]];
            }
            assertThat(neuron.path("terms").path("upNorm").asDouble()).isCloseTo(Math.sqrt(upNorm), within(1e-4));
            assertThat(neuron.path("terms").path("upBias").asDouble()).isCloseTo(w.upBias()[n[1]], within(1e-6));
        }
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String[][] bad = {{"4", "0", "block"}, {"-1", "0", "block"}, {"0", "512", "index"}, {"0", "-1", "index"},
                {"x", "0", "block"}, {"0", "third", "index"}, {"0", "99999999999", "index"}};
        for (String[] b : bad) {
            http.get().uri("/api/text/neurons/" + b[0] + "/" + b[1]).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(b[2]);
        }
    }

    private int[] trainingText() {
        if (trainingText == null) {
            trainingText = model.tokenizer().encode(MobyDick.trainingWithoutValidation());
        }
        return trainingText;
    }

    private float[][] lastNeurons(int[] tokens) {
        GptModel gpt = model.model();
        return gpt.read(List.of(new KeyValueCache(gpt.config())), new int[][] {tokens}, true).get(0).inspection().neurons();
    }

    private JsonNode neuron(int block, int index) {
        WebTestClient.ResponseSpec response = http.get().uri("/api/text/neurons/{b}/{i}", block, index).exchange();
        return response.expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
