package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The embedding space's answers are the model's own vectors: each cosine is the dot product over the two lengths,
 * read here from W_E itself (fetched from the model's graph, not from {@link EmbeddingSpace}), and a − b + c's
 * nearest tokens are the argmax of the cosine over the whole vocabulary, computed here independently.
 */
@DeepScopeTest
class EmbeddingsApiTest {

    @Autowired
    WebTestClient http;

    @Autowired
    TextModel model;

    float[][] embedding;    // (V, C): W_E as the model's graph holds it

    @BeforeEach
    void readTheEmbedding() {
        embedding = model.model().tokenEmbedding();
    }

    @Test
    void aTokenByItsTextHasItsNearestTokensWithCosineEqualToDotOverTheLengths() {
        int whale = only(model.tokenizer().encode(" whale"));
        JsonNode answer = http.get().uri(b -> b.path("/api/text/embeddings/neighbours").queryParam("token", "{t}")
                        .queryParam("count", 12).build(" whale")).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.path("id").asInt()).isEqualTo(whale);
        assertThat(answer.path("label").asString()).isEqualTo(" whale");
        assertThat(answer.path("pieces").size()).isEqualTo(1);
        assertThat(answer.path("norm").asDouble()).isCloseTo(length(embedding[whale]), within(1e-5));
        JsonNode neighbours = answer.path("neighbours");
        assertThat(neighbours.size()).isEqualTo(12);
        for (JsonNode n : neighbours) {
            float[] e = embedding[n.path("id").asInt()];
            double dot = dot(toDouble(embedding[whale]), e);
            assertThat(n.path("dot").asDouble()).isCloseTo(dot, within(1e-5 * Math.max(1, Math.abs(dot))));
            assertThat(n.path("norm").asDouble()).isCloseTo(length(e), within(1e-5));
            // cos θ = a·b / (‖a‖ ‖b‖), from the answer's own numbers and from the vectors
            assertThat(n.path("cosine").asDouble())
                    .isCloseTo(n.path("dot").asDouble() / (answer.path("norm").asDouble() * n.path("norm").asDouble()), within(1e-9))
                    .isCloseTo(dot / (length(embedding[whale]) * length(e)), within(1e-6));
        }
        assertThat(ids(neighbours)).doesNotContain(whale)
                .isEqualTo(nearestByCosine(toDouble(embedding[whale]), 12, List.of(whale)));
        assertSortedByCosine(neighbours);
    }

    @Test
    void aTextOfSeveralTokensIsAnsweredForItsFirstAndListsThePieces() {
        int[] ids = model.tokenizer().encode(" harpooneers");
        assertThat(ids.length).as("a word the tokenizer splits").isGreaterThan(1);
        http.get().uri(b -> b.path("/api/text/embeddings/neighbours").queryParam("token", "{t}").build(" harpooneers"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.id").isEqualTo(ids[0])
                .jsonPath("$.pieces.length()").isEqualTo(ids.length)
                .jsonPath("$.pieces[1].id").isEqualTo(ids[1])
                .jsonPath("$.neighbours.length()").isEqualTo(10);
        http.get().uri("/api/text/embeddings/neighbours?id=300&count=5").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(300).jsonPath("$.pieces[0].id").isEqualTo(300)
                .jsonPath("$.neighbours.length()").isEqualTo(5);
        http.get().uri("/api/text/embeddings/projection").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1024).jsonPath("$[500].x").isNumber();
    }

    @Test
    void aMinusBPlusCIsNearestTheArgmaxCosineOverTheVocabularyInputsLeftOut() {
        Map<String, Object> request = Map.of("a", " men", "b", " man", "c", " hand", "count", 8);
        JsonNode answer = post(request).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        int a = only(model.tokenizer().encode(" men"));
        int b = only(model.tokenizer().encode(" man"));
        int c = only(model.tokenizer().encode(" hand"));
        assertThat(answer.path("a").path("id").asInt()).isEqualTo(a);
        assertThat(answer.path("b").path("label").asString()).isEqualTo(" man");
        assertThat(answer.path("c").path("norm").asDouble()).isCloseTo(length(embedding[c]), within(1e-5));
        double[] r = new double[embedding[0].length];
        for (int k = 0; k < r.length; k++) {
            r[k] = (double) embedding[a][k] - embedding[b][k] + embedding[c][k];
        }
        assertThat(answer.path("norm").asDouble()).isCloseTo(Math.sqrt(dot(r, r)), within(1e-6));
        JsonNode neighbours = answer.path("neighbours");
        assertThat(neighbours.size()).isEqualTo(8);
        assertThat(ids(neighbours)).doesNotContain(a, b, c).isEqualTo(nearestByCosine(r, 8, List.of(a, b, c)));
        // the first is the argmax of cos(r, e) over every token but the inputs
        int best = -1;
        for (int v = 0; v < embedding.length; v++) {
            if (v != a && v != b && v != c && (best < 0 || cosine(r, embedding[v]) > cosine(r, embedding[best]))) {
                best = v;
            }
        }
        assertThat(neighbours.get(0).path("id").asInt()).isEqualTo(best);
        for (JsonNode n : neighbours) {
            float[] e = embedding[n.path("id").asInt()];
            assertThat(n.path("dot").asDouble()).isCloseTo(dot(r, e), within(1e-6 * Math.max(1, Math.abs(dot(r, e)))));
            assertThat(n.path("cosine").asDouble()).isCloseTo(cosine(r, e), within(1e-9))
                    .isCloseTo(n.path("dot").asDouble() / (answer.path("norm").asDouble() * n.path("norm").asDouble()), within(1e-9));
        }
        assertSortedByCosine(neighbours);
        assertThat(answer.path("x").isNumber() && answer.path("y").isNumber()).as("r's place in the projection").isTrue();
    }

    @Test
    void badOrUnknownTokensAreABadRequestNamingTheField() {
        Map<String, Object> good = Map.of("a", " men", "b", " man", "c", " hand");
        Map<String, Object> bad = new HashMap<>();
        bad.put("a", " harpooneers");       // several tokens
        bad.put("b", "");
        bad.put("c", "x".repeat(101));
        bad.forEach((field, value) -> {
            Map<String, Object> request = new HashMap<>(good);
            request.put(field, value);
            expectProblem(post(request), field);
        });
        Map<String, Object> missing = new HashMap<>(good);
        missing.remove("b");
        expectProblem(post(missing), "b");
        expectProblem(post(withCount(good, 0)), "count");
        expectProblem(post(withCount(good, 101)), "count");
        String body = "{\"a\":\" men\",\"b\":\" man\",\"c\":\"bad \\ud800\"}";
        expectProblem(http.post().uri("/api/text/embeddings/arithmetic").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange(), "c");
        expectProblem(http.post().uri("/api/text/embeddings/arithmetic").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"a\":[1],\"b\":\" man\",\"c\":\" hand\"}").exchange(), "a");
        expectProblem(http.get().uri("/api/text/embeddings/neighbours?id=99999").exchange(), "id");
        expectProblem(http.get().uri("/api/text/embeddings/neighbours").exchange(), "id");
        expectProblem(http.get().uri("/api/text/embeddings/neighbours?token=").exchange(), "token");
        expectProblem(http.get().uri("/api/text/embeddings/neighbours?id=3&token=a").exchange(), "token");
        expectProblem(http.get().uri("/api/text/embeddings/neighbours?id=3&count=101").exchange(), "count");
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return http.post().uri("/api/text/embeddings/arithmetic").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private static Map<String, Object> withCount(Map<String, Object> request, int count) {
        Map<String, Object> out = new HashMap<>(request);
        out.put("count", count);
        return out;
    }

    private static void expectProblem(WebTestClient.ResponseSpec response, String field) {
        response.expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    /** The {@code count} tokens of highest cos(q, e), {@code excluded} left out, best first. */
    private List<Integer> nearestByCosine(double[] q, int count, List<Integer> excluded) {
        return IntStream.range(0, embedding.length).filter(v -> !excluded.contains(v)).boxed()
                .sorted(Comparator.comparingDouble((Integer v) -> -cosine(q, embedding[v]))).limit(count).toList();
    }

    private static void assertSortedByCosine(JsonNode neighbours) {
        for (int i = 1; i < neighbours.size(); i++) {
            assertThat(neighbours.get(i).path("cosine").asDouble()).isLessThanOrEqualTo(neighbours.get(i - 1).path("cosine").asDouble());
        }
    }

    private static List<Integer> ids(JsonNode neighbours) {
        List<Integer> ids = new ArrayList<>();
        neighbours.forEach(n -> ids.add(n.path("id").asInt()));
        return ids;
    }

    private static int only(int[] ids) {
        assertThat(ids).as("one token").hasSize(1);
        return ids[0];
    }

    private static double cosine(double[] q, float[] e) {
        return dot(q, e) / (Math.sqrt(dot(q, q)) * length(e));
    }

    private static double length(float[] e) {
        return Math.sqrt(dot(toDouble(e), e));
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k];
        }
        return out;
    }
}
