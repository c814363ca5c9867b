package dev.deepscope.learning;

import dev.deepscope.system.TrainingProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.mnist.HeldOutDigits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Train a network through the runs API, then look at its landscape and its backpropagation. */
@DeepScopeTest
class LearningApiTest {

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
    @Qualifier("trainingExecutor")
    TensorFlowExecutor trainingExecutor;

    @Autowired
    TrainingProperties training;

    @Test
    void aTrainRunStreamsAFallingCostAndWeightPicturesThenTheLandscapeAndBackpropLookAtItsNetwork() {
        String id = train(Map.of("hidden", List.of(16), "activation", "sigmoid", "learningRate", 3.0,
                "batchSize", 32, "steps", 150, "seed", 7));
        List<ServerSentEvent<String>> events = read(id);
        List<JsonNode> metrics = data(events, "metric");
        List<JsonNode> pictures = data(events, "weights");
        assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        assertThat(metrics.get(0).path("step").asInt()).isZero();
        assertThat(metrics.get(metrics.size() - 1).path("step").asInt()).isEqualTo(150);
        assertThat(metrics.get(metrics.size() - 1).path("examples").asLong()).isEqualTo(150 * 32);
        assertThat(metrics.get(metrics.size() - 1).path("cost").asDouble())
                .isLessThan(0.7 * metrics.get(0).path("cost").asDouble());
        assertThat(pictures).isNotEmpty();
        assertThat(pictures.get(0).path("values").size()).isEqualTo(16);
        assertThat(pictures.get(0).path("values").get(0).size()).isEqualTo(784);
        JsonNode diagnosis = JSON.readTree(events.get(events.size() - 1).data()).path("diagnosis");
        assertThat(diagnosis.path("verdict").asString()).isEqualTo("ok");
        assertThat(diagnosis.path("message").asString()).startsWith("Learned: C fell from");

        JsonNode landscape = post("/api/learning/landscape", Map.of("model", id, "resolution", 5, "seed", 3))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        double centre = landscape.path("grid").get(2).get(2).asDouble();
        assertThat(landscape.path("grid").size()).isEqualTo(5);
        assertThat(centre).isCloseTo(landscape.path("cost").asDouble(), within(1e-4 * centre));
        for (JsonNode row : landscape.path("grid")) {
            for (JsonNode c : row) {
                assertThat(c.asDouble()).isGreaterThan(0);
            }
        }
        JsonNode path = landscape.path("path");
        assertThat(path.get(0).path("step").asInt()).isZero();
        JsonNode end = path.get(path.size() - 1);
        assertThat(end.path("step").asInt()).isEqualTo(150);
        assertThat(end.path("alpha").asDouble()).isCloseTo(0, within(1e-9));   // the path ends at θ, the centre
        assertThat(Math.abs(path.get(0).path("alpha").asDouble()) + Math.abs(path.get(0).path("beta").asDouble()))
                .isGreaterThan(0.01);

        for (Map<String, Integer> weight : List.of(Map.of("layer", 1, "row", 3, "col", 400),
                Map.of("layer", 2, "row", heldOut.get(5).label(), "col", 9))) {
            JsonNode b = post("/api/learning/backprop", Map.of("model", id, "pixels", pixels(5),
                    "label", heldOut.get(5).label(), "weight", weight))
                    .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            JsonNode w = b.path("weight");
            double autodiff = w.path("autodiff").asDouble();
            double scale = Math.abs(autodiff) + 1e-12;
            assertThat(w.path("product").asDouble()).isCloseTo(autodiff, within(1e-9 * scale));
            assertThat(w.path("finiteDifference").asDouble()).isCloseTo(autodiff, within(1e-4 * scale + 1e-10));
            assertThat(w.path("dC_da").asDouble() * w.path("da_dz").asDouble() * w.path("dz_dw").asDouble())
                    .isCloseTo(w.path("product").asDouble(), within(1e-12));
            assertThat(b.path("layers").size()).isEqualTo(2);
            assertThat(b.path("layers").get(0).path("dC_dW").size()).isEqualTo(16 * 784);
            assertThat(b.path("layers").get(1).path("dC_db").size()).isEqualTo(10);
            assertThat(b.path("cost").asDouble()).isPositive();
        }
    }

    @Test
    void aReluNetworkAtAnAbsurdRateDiesAndItsDoneEventSaysItIsStuck() {
        String id = train(Map.of("hidden", List.of(16, 16), "activation", "relu", "learningRate", 10.0,
                "batchSize", 32, "steps", 30, "seed", 1));
        List<ServerSentEvent<String>> events = read(id);
        JsonNode done = JSON.readTree(events.get(events.size() - 1).data());
        JsonNode diagnosis = done.path("diagnosis");
        assertThat(diagnosis.path("verdict").asString()).isEqualTo("stuck");
        assertThat(diagnosis.path("message").asString()).startsWith("Stuck")
                .contains("output neurons are pinned").contains("ReLUs are dead").endsWith("Try a smaller η (0.4 is a good start).");
        assertThat(diagnosis.path("neurons").path("pinnedOutputs").asInt()).isEqualTo(10);
        assertThat(diagnosis.path("neurons").path("deadReLUs")).hasSize(2);
        // the API says it too, in the run's result
        http.get().uri("/api/runs/{id}", id).exchange().expectBody()
                .jsonPath("$.result.diagnosis.verdict").isEqualTo("stuck");
    }

    @Test
    void aRaceStartsBothRunsAtOnceOrNeither() {
        WebTestClient learner = Browsers.withSession(http);
        Map<String, Object> gd = Browsers.gradientDescent();
        Map<String, Object> sgd = Browsers.sgd();
        Map<String, Object> race = Browsers.race(gd, sgd);

        awaitIdle(trainingExecutor);
        JsonNode started = learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(race)
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(started.path("runs")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode run = started.path("runs").get(i);
            assertThat(run.path("params").path("batchSize").asInt()).isEqualTo(i == 0 ? 9003 : 16);
            List<ServerSentEvent<String>> events = read(run.path("id").asString());
            assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        }
        int runsBefore = history(learner);
        assertThat(runsBefore).isEqualTo(2);

        awaitIdle(trainingExecutor);
        List<TensorFlowExecutor.Slot> held = new ArrayList<>();
        try {
            // all training slots but one are taken: the pair needs two, so neither may start
            while (trainingExecutor.slotsInUse() < training.slots() - 1) {
                held.add(trainingExecutor.tryReserve().orElseThrow());
            }
            learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(race)
                    .exchange().expectStatus().isEqualTo(429).expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("none was started"));
            assertThat(trainingExecutor.slotsInUse()).as("the free slot is given back").isEqualTo(held.size());
            assertThat(history(learner)).as("no run is left behind").isEqualTo(runsBefore);
            // the one free slot still takes a single run
            read(learner.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("kind", "train", "params", sgd)).exchange().expectStatus().isCreated()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString());
        } finally {
            held.forEach(TensorFlowExecutor.Slot::release);
        }

        // a bad run is named by its place, and nothing starts
        Map<String, Object> badSgd = new HashMap<>(sgd);
        badSgd.put("batchSize", 0);
        learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("runs", List.of(Map.of("kind", "train", "params", gd), Map.of("kind", "train", "params", badSgd))))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("runs[1].params.batchSize");
        learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("runs", List.of()))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("runs");
        assertThat(history(learner)).isEqualTo(runsBefore + 1);
    }

    private static int history(WebTestClient client) {
        return client.get().uri("/api/history?size=50").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().path("items").size();
    }

    @Test
    void theSameSeedGivesTheSameCurve() {
        Map<String, Object> params = Map.of("hidden", List.of(8, 8), "activation", "relu", "learningRate", 0.5,
                "batchSize", 16, "steps", 40, "seed", 21);
        List<String> first = costs(read(train(params)));
        List<String> second = costs(read(train(params)));
        assertThat(first).hasSize(41).isEqualTo(second);   // steps 0..40: ≤ 100 steps report every step
        Map<String, Object> other = new HashMap<>(params);
        other.put("seed", 22);
        assertThat(costs(read(train(other)))).isNotEqualTo(first);
    }

    @Test
    void aLongTrainRunStopsWhenAskedAndItsRecordedEventsReplay() {
        http = Browsers.withSession(http);   // the run's owner, who may stop it
        String id = train(Map.of("hidden", List.of(64), "activation", "relu", "learningRate", 0.5,
                "batchSize", 32, "steps", 20000, "seed", 3));
        List<ServerSentEvent<String>> firstFew = http.get().uri("/api/runs/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().returnResult(SSE).getResponseBody()
                .filter(e -> "metric".equals(e.event())).take(3).collectList().block(Duration.ofSeconds(30));
        assertThat(firstFew).hasSize(3);
        http.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted();
        List<ServerSentEvent<String>> all = read(id);
        assertThat(all.get(all.size() - 1).event()).isEqualTo("cancelled");
        JsonNode lastMetric = data(all, "metric").get(data(all, "metric").size() - 1);
        assertThat(lastMetric.path("step").asInt()).isLessThan(20000);
        assertThat(read(id)).usingRecursiveFieldByFieldElementComparator().isEqualTo(all);   // replayed, not recomputed
        http.get().uri("/api/runs/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("cancelled");
    }

    @Test
    void trainingHasItsOwnSlotsSoAFullClassifierStillTrainsAndFullTrainingStillClassifies() {
        List<TensorFlowExecutor.Slot> held = new ArrayList<>();
        Map<String, Object> small = Map.of("hidden", List.of(4), "activation", "relu", "learningRate", 0.5,
                "batchSize", 8, "steps", 5, "seed", 1);
        try {
            for (Optional<TensorFlowExecutor.Slot> s = executor.tryReserve(); s.isPresent(); s = executor.tryReserve()) {
                held.add(s.get());
            }
            read(train(small));
        } finally {
            held.forEach(TensorFlowExecutor.Slot::release);
            held.clear();
        }
        awaitIdle(trainingExecutor);   // a finished run gives its slot back just after its done event
        try {
            for (Optional<TensorFlowExecutor.Slot> s = trainingExecutor.tryReserve(); s.isPresent();
                 s = trainingExecutor.tryReserve()) {
                held.add(s.get());
            }
            post("/api/runs", Map.of("kind", "train", "params", small)).expectStatus().isEqualTo(429)
                    .expectHeader().exists("Retry-After");
            post("/api/digits/classify", Map.of("model", "cnn", "pixels", pixels(0))).expectStatus().isOk();
        } finally {
            held.forEach(TensorFlowExecutor.Slot::release);
        }
    }

    @Test
    void badRequestsNameTheField() {
        Map<String, Object> good = Map.of("hidden", List.of(16), "activation", "sigmoid", "learningRate", 3.0,
                "batchSize", 32, "steps", 10, "seed", 1);
        Map<String, Object[]> bad = Map.of(
                "params.hidden", new Object[] {"hidden", List.of(16, 16, 16, 16)},
                "params.hidden[1]", new Object[] {"hidden", List.of(16, 257)},
                "params.activation", new Object[] {"activation", "tanh"},
                "params.learningRate", new Object[] {"learningRate", 0},
                "params.batchSize", new Object[] {"batchSize", 9004},
                "params.steps", new Object[] {"steps", 20001});
        bad.forEach((field, change) -> {
            Map<String, Object> params = new HashMap<>(good);
            params.put((String) change[0], change[1]);
            post("/api/runs", Map.of("kind", "train", "params", params)).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.field").isEqualTo(field);
        });
        Map<String, Object> noSeed = new HashMap<>(good);
        noSeed.remove("seed");
        post("/api/runs", Map.of("kind", "train", "params", noSeed)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("params.seed");

        post("/api/learning/landscape", Map.of("model", "AAAAAAAAAAAAAAAAAAAAAA", "resolution", 5, "seed", 1))
                .expectStatus().isNotFound().expectBody().jsonPath("$.field").isEqualTo("model");
        post("/api/learning/landscape", Map.of("model", "x", "resolution", 4, "seed", 1))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("resolution");
        String id = train(good);
        read(id);
        Map<String, Object> inspect = new HashMap<>(Map.of("model", id, "pixels", pixels(0), "label", 10,
                "weight", Map.of("layer", 1, "row", 0, "col", 0)));
        post("/api/learning/backprop", inspect).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("label");
        inspect.put("label", 1);
        inspect.put("weight", Map.of("layer", 2, "row", 10, "col", 0));
        post("/api/learning/backprop", inspect).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("weight.row");
        inspect.put("weight", Map.of("layer", 3, "row", 0, "col", 0));
        post("/api/learning/backprop", inspect).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("weight.layer");
    }

    private static void awaitIdle(TensorFlowExecutor executor) {
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.slotsInUse() == 0);
    }

    private List<String> costs(List<ServerSentEvent<String>> events) {
        return data(events, "metric").stream().map(m -> m.path("step").asInt() + ":" + m.path("cost").asDouble())
                .toList();
    }

    private String train(Map<String, Object> params) {
        return post("/api/runs", Map.of("kind", "train", "params", params)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString();
    }

    private List<Double> pixels(int index) {
        List<Double> list = new ArrayList<>();
        for (float p : heldOut.get(index).pixels()) {
            list.add((double) p);
        }
        return list;
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private List<ServerSentEvent<String>> read(String id) {
        return dev.deepscope.Browsers.events(http, id, Duration.ofSeconds(60));
    }

    private static List<JsonNode> data(List<ServerSentEvent<String>> events, String type) {
        return events.stream().filter(e -> type.equals(e.event())).map(e -> JSON.readTree(e.data())).toList();
    }
}
