package dev.deepscope.runs;

import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Only the session that started a run may cancel it; anyone else (a share link's viewer, no cookie) gets 403. */
@DeepScopeTest
class RunOwnersTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Test
    void aStrangerOrACookielessCallerCannotCancelARunAndItGoesOnToDone() {
        WebTestClient owner = withSession(http);
        WebTestClient stranger = withSession(http);
        String id = startRun(owner, "ticker", ticker(40, 40)).path("id").asString();   // ~1.6 s of ticks
        Flux<ServerSentEvent<String>> watching = events(owner, id);
        watching.take(2).blockLast(Duration.ofSeconds(10));

        for (WebTestClient other : new WebTestClient[] {stranger, http}) {
            other.delete().uri("/api/runs/{id}", id).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.field").isEqualTo("id")
                    .jsonPath("$.detail").value(d -> assertThat((String) d)
                            .contains(id).contains("another browser session").contains("only that session may cancel"));
        }
        stranger.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.owned").isEqualTo(false).jsonPath("$.status").isEqualTo("running");

        ServerSentEvent<String> last = watching.blockLast(Duration.ofSeconds(20));
        assertThat(last.event()).isEqualTo("done");
        owner.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("done").jsonPath("$.owned").isEqualTo(true);
        stranger.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isForbidden();
    }

    @Test
    void theOwnerCancelsItsRun() {
        WebTestClient owner = withSession(http);
        String id = startRun(owner, "ticker", ticker(10_000, 20)).path("id").asString();
        Flux<ServerSentEvent<String>> watching = events(owner, id);
        watching.take(2).blockLast(Duration.ofSeconds(10));
        owner.delete().uri("/api/runs/{id}", id).exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.owned").isEqualTo(true);
        assertThat(watching.blockLast(Duration.ofSeconds(10)).event()).isEqualTo("cancelled");
        owner.get().uri("/api/runs/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("cancelled");
    }

    @Test
    void anUnknownRunIsStill404() {
        withSession(http).delete().uri("/api/runs/AAAAAAAAAAAAAAAAAAAAAA").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("id");
        http.delete().uri("/api/runs/nope").exchange().expectStatus().isNotFound();
    }

    @Test
    void aRerunOfSomeoneElsesRunIsANewRunOfTheCallersOwn() {
        WebTestClient owner = withSession(http);
        WebTestClient viewer = withSession(http);
        String id = startRun(owner, "ticker", ticker(1, 1)).path("id").asString();
        String again = viewer.post().uri("/api/runs/{id}/rerun", id).exchange().expectStatus().isCreated()
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody()
                .path("id").asString();
        assertThat(again).isNotEqualTo(id);
        viewer.get().uri("/api/runs/{id}", again).exchange().expectBody().jsonPath("$.owned").isEqualTo(true);
        owner.get().uri("/api/runs/{id}", again).exchange().expectBody().jsonPath("$.owned").isEqualTo(false);
    }

    private static Flux<ServerSentEvent<String>> events(WebTestClient client, String id) {
        return client.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(SSE).getResponseBody().filter(e -> e.event() != null).cache();
    }
}
