package dev.deepscope.web;

import dev.deepscope.runs.Admission;
import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ticker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.AppInstance;
import dev.deepscope.Browsers;
import dev.deepscope.engine.TensorFlowExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * Per-client budgets over HTTP: clients are told apart by address (a trusted proxy's X-Forwarded-For, or the
 * peer) as well as by session, and no single client can hold every slot. Clients "behind the proxy" connect
 * from 127.0.0.2, the one trusted proxy here, and name their address in X-Forwarded-For; a client connecting
 * from 127.0.0.1 is not trusted, so what it forwards is ignored.
 */
class ClientSharesTest {

    static final String PROXY = "127.0.0.2";
    static final int SHARE = 2;

    static AppInstance app;
    static TensorFlowExecutor executor;
    static TensorFlowExecutor trainingExecutor;
    static Admission shares;

    @BeforeAll
    static void start() {
        app = AppInstance.start(Map.of("deepscope.data-dir", "target/test-data/client-shares-" + System.nanoTime(),
                "deepscope.clients.trusted-proxies", PROXY, "deepscope.clients.slots", String.valueOf(SHARE),
                "deepscope.clients.training-slots", "2", "deepscope.training.slots", "3",
                "deepscope.rate-limit.per-address", "20", "deepscope.rate-limit.period", "60s",
                "deepscope.runs.unwatched-timeout", "60s"));
        shares = app.bean(Admission.class);
        executor = app.bean(TensorFlowExecutor.class);
        trainingExecutor = app.bean("trainingExecutor", TensorFlowExecutor.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A client at {@code address} behind the trusted proxy: forged hops left of it change nothing. */
    static WebTestClient behindProxy(String address) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(
                        HttpClient.create().bindAddress(() -> new InetSocketAddress(PROXY, 0))))
                .baseUrl("http://127.0.0.1:" + app.port()).responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("X-Forwarded-For", "198.51.100.99, " + address).build();
    }

    /** A client connecting from 127.0.0.1, which is no trusted proxy. */
    static WebTestClient direct() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + app.port())
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void cookielessRequestsAreLimitedPerAddress() {
        WebTestClient client = behindProxy("203.0.113.10");
        for (int i = 0; i < 20; i++) {   // no cookie: a fresh session each time, so only the address counts them
            tokenize(client, "").expectStatus().isOk();
        }
        tokenize(client, "").expectStatus().isEqualTo(429).expectHeader().exists("Retry-After")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.reason").isEqualTo("rate-limit")
                .jsonPath("$.limit").isEqualTo("20 requests that start work per address in 60 s");
        tokenize(behindProxy("203.0.113.11"), "").expectStatus().isOk();   // another address has its own bucket
    }

    @Test
    void anUntrustedPeersForwardedForIsIgnored() {
        WebTestClient client = direct();
        for (int i = 0; i < 20; i++) {
            tokenize(client, "198.51.100." + i).expectStatus().isOk();
        }
        // a new address named each time, but 127.0.0.1 is no trusted proxy: all 21 are 127.0.0.1's
        tokenize(client, "198.51.100.77").expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.reason").isEqualTo("rate-limit");
        tokenize(behindProxy("198.51.100.77"), "").expectStatus().isOk();   // the address it named is untouched
    }

    private static WebTestClient.ResponseSpec tokenize(WebTestClient client, String forwardedFor) {
        WebTestClient.RequestBodySpec post = client.post().uri("/api/text/tokenize").contentType(MediaType.APPLICATION_JSON);
        if (!forwardedFor.isEmpty()) {
            post = post.header("X-Forwarded-For", forwardedFor);
        }
        return post.bodyValue(Map.of("text", "a whale")).exchange();
    }

    @Test
    void anAddressOverItsShareGets429WithRetryAfterOnEveryComputingEndpoint() {
        String address = "203.0.113.20";
        WebTestClient first = Browsers.withSession(behindProxy(address));
        WebTestClient second = Browsers.withSession(behindProxy(address));
        List<String> tickers = List.of(startRun(first, "ticker", ticker(10_000, 20)),
                startRun(second, "ticker", ticker(10_000, 20)));   // two sessions, one address: its share
        try {
            WebTestClient cookieless = behindProxy(address);
            for (String[] call : new String[][] {
                    {"/api/digits/classify", "{\"model\":\"cnn\",\"pixels\":" + zeros() + "}"},
                    {"/api/text/score", "{\"text\":\"Call me Ishmael.\"}"},
                    {"/api/diffusion/sample", "{\"digit\":3,\"steps\":2}"},
                    {"/api/runs", "{\"kind\":\"classify\",\"params\":{\"model\":\"cnn\",\"pixels\":" + zeros() + "}}"}}) {
                cookieless.post().uri(call[0]).contentType(MediaType.APPLICATION_JSON).bodyValue(call[1]).exchange()
                        .expectStatus().isEqualTo(429)
                        .expectHeader().valueEquals("Retry-After", "1")
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody().jsonPath("$.reason").isEqualTo("own-share")
                        .jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("Your address already has"));
            }
            cookieless.get().uri("/api/text/embeddings/neighbours?id=65").exchange().expectStatus().isEqualTo(429);
            behindProxy("203.0.113.21").post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(classify("cnn")).exchange().expectStatus().isOk();   // another client is served
        } finally {
            first.delete().uri("/api/runs/{id}", tickers.get(0)).exchange().expectStatus().isAccepted();
            second.delete().uri("/api/runs/{id}", tickers.get(1)).exchange().expectStatus().isAccepted();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shares.heldByAddress(address, executor) == 0);
        behindProxy(address).post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(classify("cnn")).exchange().expectStatus().isOk();   // the share came back with the slots
    }

    @Test
    void aSessionHasOneTrainingExperimentAtATimeAndARaceIsOne() {
        String address = "203.0.113.30";
        WebTestClient learner = Browsers.withSession(behindProxy(address));
        Map<String, Object> long_ = Map.of("hidden", List.of(64), "activation", "relu", "learningRate", 0.5,
                "batchSize", 32, "steps", 20000, "seed", 3);
        Map<String, Object> gd = Browsers.gradientDescent();
        Map<String, Object> sgd = Browsers.sgd();
        Map<String, Object> race = Browsers.race(gd, sgd);
        awaitIdle(trainingExecutor);

        List<Runnable> cancels = new ArrayList<>();
        try {
            String running = startRun(learner, "train", long_);
            cancels.add(() -> learner.delete().uri("/api/runs/{id}", running).exchange().expectStatus().isAccepted());
            learner.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("kind", "train", "params", sgd)).exchange()
                    .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.reason").isEqualTo("own-runs")
                    .jsonPath("$.detail").value(d -> assertThat((String) d).contains("one training experiment at a time"));
            learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(race).exchange()
                    .expectStatus().isEqualTo(429).expectBody().jsonPath("$.reason").isEqualTo("own-runs");

            // another session on the same address may train: the address then holds its two training slots…
            WebTestClient neighbour = Browsers.withSession(behindProxy(address));
            String second = startRun(neighbour, "train", long_);
            cancels.add(() -> neighbour.delete().uri("/api/runs/{id}", second).exchange().expectStatus().isAccepted());
            behindProxy(address).post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("kind", "train", "params", sgd)).exchange()
                    .expectStatus().isEqualTo(429).expectBody().jsonPath("$.reason").isEqualTo("own-share");
            // …and the third training slot is still there for someone else
            WebTestClient other = Browsers.withSession(behindProxy("203.0.113.31"));
            String third = startRun(other, "train", long_);
            cancels.add(() -> other.delete().uri("/api/runs/{id}", third).exchange().expectStatus().isAccepted());
        } finally {
            cancels.forEach(Runnable::run);
        }
        awaitIdle(trainingExecutor);

        // the race is one experiment: both runs start together
        JsonNode started = learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(race)
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(started.path("runs")).hasSize(2);
        for (JsonNode run : started.path("runs")) {
            Browsers.finished(learner, run);
        }
        awaitIdle(trainingExecutor);
        // more training runs together than one client may ever hold: waiting would not help, so 400
        learner.post().uri("/api/runs/batch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("runs", List.of(Map.of("kind", "train", "params", gd),
                        Map.of("kind", "train", "params", sgd), Map.of("kind", "train", "params", sgd))))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("runs");
    }

    @Test
    void oneFloodingClientCannotTakeTheSlotsAnotherNeeds() {
        String flooder = "203.0.113.40";
        WebClient flood = WebClient.builder().clientConnector(new ReactorClientHttpConnector(
                        HttpClient.create().bindAddress(() -> new InetSocketAddress(PROXY, 0))))
                .baseUrl("http://127.0.0.1:" + app.port()).defaultHeader("X-Forwarded-For", flooder).build();
        ConcurrentLinkedQueue<Integer> sampled = new ConcurrentLinkedQueue<>();
        // 12 long samplings at once (16 images × 1000 steps: seconds each), each without a cookie
        Disposable sampling = Flux.range(0, 12).flatMap(i -> post(flood, "/api/diffusion/sample",
                Map.of("digit", i % 10, "steps", 1000, "count", 16, "seed", i)), 12).subscribe(sampled::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> sampled.size() == 12 - SHARE);
            assertThat(sampled).as("all but the flooder's share refused at once").containsOnly(429);
            assertThat(shares.heldByAddress(flooder, executor)).as("the flooder holds its share").isEqualTo(SHARE);
            // its generate runs, from fresh sessions, meet the same share
            List<Integer> runs = Flux.range(0, 6).flatMap(i -> post(flood, "/api/runs", Map.of("kind", "generate",
                    "params", Map.of("prompt", "Call me Ishmael.", "maxTokens", 64, "seed", i)))).collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(runs).containsOnly(429);
            for (int i = 0; i < 5; i++) {   // another client is served every time while the flooder is at its cap
                behindProxy("203.0.113.41").post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(classify("cnn")).exchange().expectStatus().isOk();
            }
            behindProxy(flooder).post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(classify("cnn")).exchange().expectStatus().isEqualTo(429)
                    .expectBody().jsonPath("$.reason").isEqualTo("own-share");
            assertThat(shares.heldByAddress(flooder, executor)).as("still sampling all along").isEqualTo(SHARE);
        } finally {
            sampling.dispose();   // the samplings stop at their next step and give their slots back
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> shares.heldByAddress(flooder, executor) == 0);
    }

    private static Mono<Integer> post(WebClient client, String path, Object body) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()));
    }

    private static String startRun(WebTestClient client, String kind, Map<String, ?> params) {
        return Browsers.startRun(client, kind, params).path("id").asString();
    }

    private static String zeros() {
        return java.util.Collections.nCopies(784, "0").toString();
    }

    private static void awaitIdle(TensorFlowExecutor pool) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.slotsInUse() == 0);
    }
}
