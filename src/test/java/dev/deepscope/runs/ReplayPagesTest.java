package dev.deepscope.runs;

import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.DeepScopeTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * Replays read the store in pages shared by their viewers: many viewers of one finished run all get its whole,
 * identical sequence for one read per page, and a viewer reads the next page only once it has taken this one.
 */
@DeepScopeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayPagesTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    /** 2,000 ticks and the done event: seq 1..2001, pages of 256 → 8 pages. */
    private static final int TICKS = 2000;
    private static final int PAGES = 8;

    WebTestClient http;

    /** A busy machine may take more than the default 5 s to start a response. */
    @Autowired
    void client(WebTestClient http) {
        this.http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Autowired
    ReplayPages replays;

    @Autowired
    RunStore store;

    @Autowired
    MeterRegistry registry;

    @LocalServerPort
    int port;

    String runId;

    @BeforeAll
    void aFinishedRunWithManyEvents() {
        WebTestClient me = withSession(http);
        runId = finished(me, startRun(me, "ticker", ticker(TICKS, 0)));
    }

    @Test
    void twoHundredViewersGetTheWholeIdenticalRunForOneReadPerPage() {
        replays.clear();
        double pagesBefore = reads("page");
        double statusesBefore = reads("status");
        ConnectionProvider connections = ConnectionProvider.builder("viewers").maxConnections(250).build();
        try {
            WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                    .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
            List<List<String>> seen = Flux.range(0, 200)
                    .flatMap(i -> client.get().uri("/api/runs/{id}/events", runId).accept(MediaType.TEXT_EVENT_STREAM)
                            .retrieve().bodyToFlux(SSE)
                            .filter(e -> e.event() != null)
                            .map(e -> e.id() + ":" + e.event() + ":" + e.data())
                            .collectList(), 200)
                    .collectList().block(Duration.ofMinutes(2));

            assertThat(seen).hasSize(200);
            List<String> first = seen.get(0);
            assertThat(first).hasSize(TICKS + 1);
            assertThat(first.get(0)).isEqualTo("1:tick:{\"n\":1}");
            assertThat(first.get(TICKS)).startsWith((TICKS + 1) + ":done:");
            assertThat(seen).allSatisfy(events -> assertThat(events).isEqualTo(first));
        } finally {
            connections.dispose();
        }
        // one read per page and one lookup of the run, not one per viewer
        assertThat(reads("page") - pagesBefore).isEqualTo(PAGES);
        assertThat(reads("status") - statusesBefore).isEqualTo(1);
    }

    @Test
    void aViewerReadsTheNextPageOnlyWhenItHasTakenThisOnesLastEvent() {
        replays.clear();
        double before = reads("page");
        StepVerifier.create(replays.events(runId, 0), 0)
                .thenRequest(1)
                .expectNextMatches(e -> e.id() == 1)
                .then(() -> assertThat(reads("page") - before).isEqualTo(1))
                .thenRequest(254)
                .expectNextCount(254)
                .then(() -> assertThat(reads("page") - before).isEqualTo(1))
                // the page's last event is taken: only now is the second page read
                .thenRequest(1)
                .expectNextMatches(e -> e.id() == 256)
                .then(() -> await().atMost(Duration.ofSeconds(10)).until(() -> reads("page") - before == 2))
                .thenRequest(1)
                .expectNextMatches(e -> e.id() == 257)
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aResumedReplayStartsAfterItsLastEventAndMeetsTheSharedPages() {
        List<Long> ids = http.get().uri("/api/runs/{id}/events", runId).accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "300").exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody().filter(e -> e.event() != null)
                .map(e -> Long.parseLong(e.id())).collectList().block(Duration.ofSeconds(30));
        assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(301, TICKS + 1).boxed().toList());
    }

    @Test
    void aPageIsCutAtItsByteBudgetButHoldsAtLeastOneEvent() {
        List<RunEvent> page = store.eventsPage(runId, 0, 256, 50);
        long bytesBeforeLast = page.subList(0, page.size() - 1).stream().mapToLong(e -> e.data().length()).sum();
        assertThat(bytesBeforeLast).isLessThan(50);
        assertThat(bytesBeforeLast + page.get(page.size() - 1).data().length()).isGreaterThanOrEqualTo(50);
        assertThat(page).extracting(RunEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, page.size()).boxed().toList());
        assertThat(store.eventsPage(runId, 0, 256, 1)).hasSize(1);
    }

    private double reads(String what) {
        return registry.get("deepscope.replay.reads").tag("what", what).counter().count();
    }
}
