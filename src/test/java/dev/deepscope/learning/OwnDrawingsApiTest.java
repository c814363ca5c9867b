package dev.deepscope.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.bench.InventedSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A learner's own drawings: three invented symbols drawn the way the pad draws them train a network that
 * reads new drawings of them; the run keeps its data set, so a rerun repeats it; bad data sets are named.
 */
@DeepScopeTest
class OwnDrawingsApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PER_CLASS = 20;
    private static final int STEPS = 300;

    @Autowired
    WebTestClient http;

    @Test
    void threeInventedSymbolsTrainToNinetyPercentOnHeldOutDrawingsAndARerunRepeatsTheRun() {
        Random random = new Random(15);
        Map<String, Object> params = params(dataset(PER_CLASS, random));
        long started = System.nanoTime();
        String id = train(params);
        List<ServerSentEvent<String>> events = read(id);
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode done = JSON.readTree(events.get(events.size() - 1).data());
        assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        assertThat(done.path("network").asString()).isEqualTo("784-32-3");
        assertThat(done.path("trainingDigits").asInt()).isEqualTo(3 * (PER_CLASS - PER_CLASS / 5));
        JsonNode heldOut = done.path("heldOut");
        assertThat(heldOut.path("examples")).hasSize(3 * (PER_CLASS / 5));
        assertThat(heldOut.path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(heldOut.path("accuracy").asDouble()).isEqualTo(done.path("last").path("accuracy").asDouble());
        assertThat(done.path("diagnosis").path("message").asString()).contains("of held-out drawings right");

        // new drawings, never seen in training, through the classify endpoint
        int right = 0;
        int fresh = 30;
        for (int i = 0; i < fresh; i++) {
            JsonNode c = post("/api/learning/classify", Map.of("model", id, "pixels", list(InventedSymbols.draw(i % 3, random))))
                    .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(c.path("outputs")).hasSize(3);
            right += c.path("prediction").asInt() == i % 3 ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo(27);

        // the landscape and the backprop inspector look at this 3-output network, on its own drawings
        JsonNode landscape = post("/api/learning/landscape", Map.of("model", id, "resolution", 5, "seed", 2))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(landscape.path("digits").asInt()).isEqualTo(done.path("trainingDigits").asInt());
        double centre = landscape.path("grid").get(2).get(2).asDouble();
        assertThat(centre).isCloseTo(landscape.path("cost").asDouble(), within(1e-4 * centre));
        JsonNode b = post("/api/learning/backprop", Map.of("model", id, "pixels", list(InventedSymbols.draw(2, random)),
                "label", 2, "weight", Map.of("layer", 2, "row", 2, "col", 5)))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(b.path("outputs")).hasSize(3);
        double autodiff = b.path("weight").path("autodiff").asDouble();
        assertThat(b.path("weight").path("finiteDifference").asDouble())
                .isCloseTo(autodiff, within(1e-4 * Math.abs(autodiff) + 1e-10));
        post("/api/learning/backprop", Map.of("model", id, "pixels", list(InventedSymbols.draw(0, random)),
                "label", 3, "weight", Map.of("layer", 1, "row", 0, "col", 0)))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("label");

        // the data set is stored with the run, and a rerun trains the same network on it
        JsonNode run = http.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(run.path("params").path("dataset").path("examples")).hasSize(3 * PER_CLASS);
        assertThat(run.path("params").path("dataset").path("classes").get(1).asString()).isEqualTo("cross");
        String again = http.post().uri("/api/runs/{id}/rerun", id).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString();
        List<ServerSentEvent<String>> rerun = read(again);
        JsonNode redone = JSON.readTree(rerun.get(rerun.size() - 1).data());
        assertThat(redone.path("heldOut")).isEqualTo(heldOut);
        assertThat(redone.path("last").path("cost")).isEqualTo(done.path("last").path("cost"));
        assertThat(costs(rerun)).isEqualTo(costs(events)).hasSizeGreaterThan(50);
        System.out.printf("MEASURE own drawings: %d drawings of 3 symbols, %d steps in %.2f s; held-out %s right"
                        + " (%.1f %%), fresh drawings %d of %d; stored params %d bytes%n", 3 * PER_CLASS, STEPS, seconds,
                heldOut.path("right").asInt() + "/" + heldOut.path("examples").size(),
                100 * heldOut.path("accuracy").asDouble(), right, fresh, JSON.writeValueAsString(run.path("params")).length());
    }

    @Test
    void aFullDataSetOf200DrawingsIsAcceptedAndBadDataSetsAreNamed() {
        Random random = new Random(3);
        Map<String, Object> full = dataset(67, random);                    // 201 drawings
        assertField(params(full), "params.dataset.examples");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> examples = (List<Map<String, Object>>) full.get("examples");
        examples.remove(examples.size() - 1);                                 // 200: the most allowed
        Map<String, Object> fullParams = params(full);
        fullParams.put("steps", 1);
        String id = train(fullParams);
        JsonNode stored = http.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("params");
        System.out.printf("MEASURE own drawings: 200 drawings stored as %d bytes of params%n",
                JSON.writeValueAsString(stored).length());
        read(id);

        assertField(params(Map.of("classes", List.of(), "examples", List.of())), "params.dataset.classes");
        Map<String, Object> one = dataset(6, random);
        one.put("classes", List.of("circle"));
        assertField(params(one), "params.dataset.classes");
        Map<String, Object> same = dataset(6, random);
        same.put("classes", List.of("circle", "cross", "circle"));
        assertField(params(same), "params.dataset.classes[2]");
        Map<String, Object> fewEmpty = dataset(6, random);
        fewEmpty.put("examples", List.of());
        assertField(params(fewEmpty), "params.dataset.examples");
        Map<String, Object> short3 = dataset(6, random);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ex = (List<Map<String, Object>>) short3.get("examples");
        ex.set(3, Map.of("label", ex.get(3).get("label"), "pixels", List.of(0.5, 0.5)));
        assertField(params(short3), "params.dataset.examples[3].pixels");
        ex.set(3, Map.of("label", 3, "pixels", ex.get(4).get("pixels")));
        assertField(params(short3), "params.dataset.examples[3].label");
        Map<String, Object> four = dataset(4, random);                     // 4 of each: fewer than 5
        assertField(params(four), "params.dataset.examples");
        Map<String, Object> bigBatch = params(dataset(5, random));          // 4 of each trained on: m ≤ 12
        bigBatch.put("batchSize", 13);
        assertField(bigBatch, "params.batchSize");

        byte[] tenMegabytes = ("{\"kind\":\"train\",\"params\":{\"dataset\":{\"classes\":[\"" + "x".repeat(10_000_000)
                + "\"]}}}").getBytes();
        http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON).bodyValue(tenMegabytes).exchange()
                .expectStatus().isEqualTo(413).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private void assertField(Map<String, Object> params, String field) {
        post("/api/runs", Map.of("kind", "train", "params", params)).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    /** {classes, examples}: {@code perClass} drawings of each symbol, in turn. */
    private static Map<String, Object> dataset(int perClass, Random random) {
        List<Map<String, Object>> examples = new ArrayList<>();
        for (int i = 0; i < 3 * perClass; i++) {
            examples.add(Map.of("label", i % 3, "pixels", list(InventedSymbols.draw(i % 3, random))));
        }
        return new HashMap<>(Map.of("classes", InventedSymbols.NAMES, "examples", examples));
    }

    private static Map<String, Object> params(Map<String, Object> dataset) {
        return new HashMap<>(Map.of("hidden", List.of(32), "activation", "sigmoid", "learningRate", 3.0,
                "batchSize", 12, "steps", STEPS, "seed", 5, "dataset", dataset));
    }

    /** As the page sends them: 3 decimals (a float's 0.123 would otherwise travel as 0.12300000339746475). */
    private static List<Double> list(float[] pixels) {
        List<Double> list = new ArrayList<>();
        for (float p : pixels) {
            list.add(Math.round(p * 1000) / 1000.0);
        }
        return list;
    }

    /** Costs at the steps every run reports (the timed extra points differ from run to run). */
    private static List<String> costs(List<ServerSentEvent<String>> events) {
        int every = (STEPS + GradientDescent.METRIC_POINTS - 1) / GradientDescent.METRIC_POINTS;
        return events.stream().filter(e -> "metric".equals(e.event())).map(e -> JSON.readTree(e.data()))
                .filter(m -> m.path("step").asInt() % every == 0)
                .map(m -> m.path("step").asInt() + ":" + m.path("cost").asDouble()).toList();
    }

    private String train(Map<String, Object> params) {
        return post("/api/runs", Map.of("kind", "train", "params", params)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString();
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private List<ServerSentEvent<String>> read(String id) {
        return dev.deepscope.Browsers.events(http, id, Duration.ofSeconds(60));
    }
}
