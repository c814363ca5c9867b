package dev.deepscope.retention;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.AppInstance;
import dev.deepscope.system.RandomIds;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * Retention with a short max-age (2 s, swept every 500 ms by the app's own sweeper): an old run's rows go and
 * its links answer 410, a running run and a run someone else opened are kept, sessions without runs go.
 */
class RetentionTest {

    private static final Duration EXPIRY = Duration.ofSeconds(30);

    static AppInstance app;
    static WebTestClient http;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        app = AppInstance.start(Map.of("deepscope.data-dir", "target/test-data/retention-" + UUID.randomUUID(),
                "deepscope.retention.max-age", "2s", "deepscope.retention.shared-max-age", "1h",
                "deepscope.retention.sweep-interval", "500ms"));
        http = app.http();
        jdbc = app.bean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anExpiredRunLeavesNoRowsAndAnswers410SayingWhenAndWhy() {
        WebTestClient owner = withSession(http);
        String id = finished(owner, startRun(owner, "classify", classify("cnn")));
        String session = jdbc.sql("select session_id from runs where id = ?").param(id).query(String.class).single();
        assertThat(count("run_events where run_id = ?", id)).isPositive();

        await().atMost(EXPIRY).until(() -> owner.get().uri("/api/runs/{id}", id).exchange()
                .returnResult(String.class).getStatus().value() == HttpStatus.GONE.value());
        assertThat(count("runs where id = ?", id)).isZero();
        assertThat(count("run_events where run_id = ?", id)).isZero();

        owner.get().uri("/api/runs/{id}", id).exchange().expectStatus().isEqualTo(HttpStatus.GONE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(410)
                .jsonPath("$.field").isEqualTo("id")
                .jsonPath("$.reason").isEqualTo("age")
                .jsonPath("$.expiredAt").isNotEmpty()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains(id).contains("expired on").contains("kept 2 seconds after they were last opened"));
        owner.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(HttpStatus.GONE)
                .expectBody().jsonPath("$.field").isEqualTo("id");
        owner.post().uri("/api/runs/{id}/rerun", id).exchange().expectStatus().isEqualTo(HttpStatus.GONE)
                .expectBody().jsonPath("$.field").isEqualTo("id");
        String page = http.get().uri("/r/{id}", id).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isEqualTo(HttpStatus.GONE)
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("This run has expired").contains("The run " + id + " expired on")
                .contains("Go to the knowledge map").doesNotContain("null");
        http.get().uri("/r/{id}", id).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(HttpStatus.GONE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        String never = RandomIds.next();
        http.get().uri("/api/runs/{id}", never).exchange().expectStatus().isNotFound();
        http.get().uri("/r/{id}", never).accept(MediaType.TEXT_HTML).exchange().expectStatus().isNotFound();

        // its session owns nothing now, and goes too
        await().atMost(EXPIRY).until(() -> count("sessions where id = ?", session) == 0);
    }

    @Test
    void aRunningRunAndItsSessionAreKeptWhileABareSessionExpires() {
        String bare = RandomIds.next();
        jdbc.sql("insert into sessions (id) values (?)").param(bare).update();
        WebTestClient owner = withSession(http);
        String running = startRun(owner, "ticker", ticker(400, 50)).path("id").asString();
        Disposable watching = owner.get().uri("/api/runs/{id}/events", running).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().returnResult(String.class).getResponseBody().subscribe();
        try {
            // made after the ticker, so once it is gone the ticker is past max-age too
            String later = finished(owner, startRun(owner, "classify", classify("mlp-relu")));
            await().atMost(EXPIRY).until(() -> count("runs where id = ?", later) == 0);
            await().atMost(EXPIRY).until(() -> count("sessions where id = ?", bare) == 0);
            owner.get().uri("/api/runs/{id}", running).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("running");
            assertThat(count("runs r join sessions s on s.id = r.session_id where r.id = ?", running)).isOne();
        } finally {
            watching.dispose();
            owner.delete().uri("/api/runs/{id}", running).exchange();
        }
    }

    @Test
    void aRunOpenedByAnotherSessionOutlivesMaxAgeAndTheOwnerOpeningItDoesNotCount() {
        WebTestClient owner = withSession(http);
        String shared = finished(owner, startRun(owner, "classify", classify("cnn")));
        owner.get().uri("/r/{id}", shared).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
        assertThat(count("runs where id = ? and shared_at is not null", shared)).isZero();
        withSession(http).get().uri("/r/{id}", shared).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
        assertThat(count("runs where id = ? and shared_at is not null", shared)).isOne();

        // opened by its owner only, and used after the shared one
        String own = finished(owner, startRun(owner, "classify", classify("cnn")));
        await().atMost(EXPIRY).until(() -> count("runs where id = ?", own) == 0);
        owner.get().uri("/api/runs/{id}", shared).exchange().expectStatus().isOk();
        assertThat(count("run_events where run_id = ?", shared)).isPositive();
    }

    @Test
    void prometheusShowsStoredRunsEventsBytesAndRunsRemovedByReason() {
        WebTestClient owner = withSession(http);
        String id = finished(owner, startRun(owner, "classify", classify("mlp-sigmoid")));
        await().atMost(EXPIRY).until(() -> count("runs where id = ?", id) == 0);
        await().atMost(EXPIRY).untilAsserted(() -> {
            String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).containsPattern("(?m)^deepscope_storage_runs [0-9.E]+$")
                    .containsPattern("(?m)^deepscope_storage_events [0-9.E]+$")
                    .containsPattern("(?m)^deepscope_storage_bytes [0-9.E]+$")
                    .containsPattern("(?m)^deepscope_storage_database_bytes [1-9][0-9.E]+$")
                    .containsPattern("(?m)^deepscope_retention_removed_total\\{reason=\"age\"\\} [1-9][0-9.E]*$")
                    .containsPattern("(?m)^deepscope_retention_removed_total\\{reason=\"size\"\\} 0.0$")
                    .containsPattern("(?m)^deepscope_retention_sessions_removed_total [0-9.E]+$");
        });
    }

    private static long count(String fromWhere, String id) {
        return jdbc.sql("select count(*) from " + fromWhere).param(id).query(Long.class).single();
    }
}
