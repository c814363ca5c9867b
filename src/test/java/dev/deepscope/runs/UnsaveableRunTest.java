package dev.deepscope.runs;

import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.DeepScopeTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * While the database is away, runs queue in the save backlog. The first of them can never be stored (a trigger
 * refuses it, as PostgreSQL refuses a NUL in text): when the database is back it is set aside and counted, and
 * every run queued behind it is saved.
 */
@DeepScopeTest
class UnsaveableRunTest {

    @Autowired
    WebTestClient http;

    @Autowired
    EmbeddedPostgres database;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry metrics;

    @Test
    void aRunThatCannotBeStoredNeverBlocksTheRunsQueuedBehindIt() throws Exception {
        WebTestClient me = withSession(http).mutate().responseTimeout(Duration.ofSeconds(30)).build();
        jdbc.sql("""
                create or replace function refuse_poison() returns trigger language plpgsql as $$
                begin
                    if new.params->>'label' = 'poison' then
                        raise exception 'this run cannot be stored (test)';
                    end if;
                    return new;
                end;
                $$""").update();
        jdbc.sql("create trigger refuse_poison before insert on runs for each row execute function refuse_poison()")
                .update();
        double unsaveableBefore = unsaveable();
        List<String> behind = new ArrayList<>();
        String poison;
        try (Connection admin = DriverManager.getConnection(database.getJdbcUrl("postgres", "template1"))) {
            try {
                outage(admin, true);
                poison = ended(me, startRun(me, "ticker", Map.of("ticks", 1, "label", "poison")));
                for (int i = 0; i < 3; i++) {
                    behind.add(ended(me, startRun(me, "ticker", Map.of("ticks", 2, "label", "behind " + i))));
                }
            } finally {
                outage(admin, false);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode history = me.get().uri("/api/history?size=100").exchange().expectStatus().isOk()
                        .expectBody(JsonNode.class).returnResult().getResponseBody();
                assertThat(ids(history)).containsAll(behind).doesNotContain(poison);
            });
        } finally {
            jdbc.sql("drop trigger refuse_poison on runs").update();
            jdbc.sql("drop function refuse_poison()").update();
        }
        for (String id : behind) {
            me.get().uri("/api/runs/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("done");
            assertThat(jdbc.sql("select count(*) from run_events where run_id = ?").param(id).query(Long.class).single())
                    .isEqualTo(3);
        }
        assertThat(unsaveable() - unsaveableBefore).isEqualTo(1);
        me.get().uri("/api/runs/{id}", poison).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("done");   // set aside: still readable until a restart
    }

    /** Follows the run to its end (computed while the database is away, so only in memory) and gives its id. */
    private static String ended(WebTestClient client, JsonNode started) {
        String id = started.path("id").asString();
        client.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody().blockLast(Duration.ofSeconds(30));
        return id;
    }

    private double unsaveable() {
        Counter counter = metrics.find("deepscope.runs.unsaveable").tag("reason", "failed").counter();
        return counter == null ? 0 : counter.count();
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
