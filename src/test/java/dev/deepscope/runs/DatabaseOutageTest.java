package dev.deepscope.runs;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.DeepScopeTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL briefly unreachable: classifying and runs keep working, history answers 503, and when the
 * database is back everything recovers by itself, including the runs computed meanwhile.
 */
@DeepScopeTest
class DatabaseOutageTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    EmbeddedPostgres database;

    @Test
    void runsGoOnHistorySays503AndAllIsSavedWhenTheDatabaseReturns() throws Exception {
        WebTestClient me = withSession(http);
        // from another database of the server, so this connection survives the outage and can end it
        try (Connection admin = DriverManager.getConnection(database.getJdbcUrl("postgres", "template1"))) {
            String runId;
            try {
                outage(admin, true);

                me.post().uri("/api/digits/classify").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(classify("cnn")).exchange().expectStatus().isOk();
                runId = startRun(me, "classify", classify("mlp-relu")).path("id").asString();
                List<ServerSentEvent<String>> events = me.get().uri("/api/runs/{id}/events", runId)
                        .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                        .returnResult(SSE).getResponseBody().filter(e -> e.event() != null)
                        .collectList().block(Duration.ofSeconds(30));
                assertThat(events.get(events.size() - 1).event()).isEqualTo("done");

                me.get().uri("/api/history").exchange()
                        .expectStatus().isEqualTo(503)
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("database"));
            } finally {
                outage(admin, false);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode history = me.get().uri("/api/history").exchange().expectStatus().isOk()
                        .expectBody(JsonNode.class).returnResult().getResponseBody();
                assertThat(ids(history)).contains(runId);
            });
            me.get().uri("/api/runs/{id}", runId).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("done");
        }
    }

    /** Refuses (or allows again) connections to the app's database and drops the ones it has. */
    private static void outage(Connection admin, boolean on) throws Exception {
        try (Statement sql = admin.createStatement()) {
            sql.execute("alter database postgres allow_connections " + !on);
            if (on) {
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'postgres'");
            }
        }
    }
}
