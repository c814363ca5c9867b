package dev.deepscope.retention;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;

/**
 * The size cap, with a sweeper called directly and a cap just under what is stored: the least recently used
 * finished runs go first, only as many as needed, and a running run is never taken even when it is the oldest.
 */
@DeepScopeTest
class SizeCapTest {

    @Autowired
    WebTestClient http;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    StorageMetrics metrics;

    @Test
    void overTheCapTheLeastRecentlyUsedFinishedRunsGoFirstUntilUnderIt() {
        WebTestClient me = withSession(http);
        List<String> finished = List.of(
                finished(me, startRun(me, "classify", classify("cnn"))),
                finished(me, startRun(me, "classify", classify("mlp-relu"))),
                finished(me, startRun(me, "classify", classify("mlp-sigmoid"))));
        String running = startRun(me, "ticker", ticker(10_000, 20)).path("id").asString();
        Disposable watching = me.get().uri("/api/runs/{id}/events", running).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().returnResult(String.class).getResponseBody().subscribe();
        try {
            // the oldest uses in the store, a day ago (within max-age): the running one first, then the three
            setUsed(running, 2 * 24 * 60);
            for (int i = 0; i < 3; i++) {
                setUsed(finished.get(i), 24 * 60 - i);
            }
            long[] bytes = finished.stream().mapToLong(this::storedBytes).toArray();
            assertThat(java.util.Arrays.stream(bytes).min().orElseThrow()).isGreaterThan(1_000);
            long total = jdbc.sql("select sum(stored_bytes) from runs").query(Long.class).single();
            // takes the first, and half of the second is still too much
            long cap = total - bytes[0] - bytes[1] / 2;
            RetentionSweeper sweeper = new RetentionSweeper(dataSource, new RetentionProperties(Duration.ofDays(30),
                    Duration.ofDays(365), Duration.ofHours(1), DataSize.ofBytes(cap), 50), metrics);

            RetentionSweeper.Report report = await().atMost(Duration.ofSeconds(30))
                    .until(() -> sweeper.sweep(Instant.now()), RetentionSweeper.Report::swept);

            assertThat(report.overCap()).isEqualTo(2);
            assertThat(report.bytesFreed()).isEqualTo(bytes[0] + bytes[1]);
            assertThat(exists(finished.get(0))).isFalse();
            assertThat(exists(finished.get(1))).isFalse();
            assertThat(exists(finished.get(2))).isTrue();
            assertThat(exists(running)).isTrue();
            assertThat(jdbc.sql("select sum(stored_bytes) from runs").query(Long.class).single()).isLessThanOrEqualTo(cap);
            me.get().uri("/api/runs/{id}", finished.get(0)).exchange().expectStatus().isEqualTo(HttpStatus.GONE)
                    .expectBody().jsonPath("$.reason").isEqualTo("size")
                    .jsonPath("$.detail").value(String.class, d -> assertThat(d)
                            .contains("to keep the stored runs under").contains("least recently used first"));
        } finally {
            watching.dispose();
            me.delete().uri("/api/runs/{id}", running).exchange();
        }
    }

    @Test
    void storedBytesFollowTheEventsAsTheyAreWritten() {
        WebTestClient me = withSession(http);
        String id = finished(me, startRun(me, "classify", classify("cnn")));
        long data = jdbc.sql("select sum(octet_length(data::text)) + 100 * count(*) from run_events where run_id = ?")
                .param(id).query(Long.class).single();
        long events = jdbc.sql("select count(*) from run_events where run_id = ?").param(id).query(Long.class).single();
        long row = jdbc.sql("select 200 + octet_length(params::text) + octet_length(result::text) from runs where id = ?")
                .param(id).query(Long.class).single();
        assertThat(storedBytes(id)).isEqualTo(data + row);
        assertThat(jdbc.sql("select stored_events from runs where id = ?").param(id).query(Long.class).single())
                .isEqualTo(events).isPositive();
    }

    private void setUsed(String id, int minutesAgo) {
        jdbc.sql("update runs set used_at = now() - make_interval(mins => ?) where id = ?").params(minutesAgo, id).update();
    }

    private long storedBytes(String id) {
        return jdbc.sql("select stored_bytes from runs where id = ?").param(id).query(Long.class).single();
    }

    private boolean exists(String id) {
        return jdbc.sql("select count(*) from runs where id = ?").param(id).query(Long.class).single() == 1;
    }
}
