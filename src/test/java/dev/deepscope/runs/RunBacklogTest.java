package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The save backlog: one run that can never be written is set aside and never blocks the runs behind it; only the
 * database being away keeps runs waiting; memory stays within its bounds.
 */
class RunBacklogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A store whose database is away until told otherwise, and that refuses the data of some runs. */
    static final class Store extends RunStore {
        volatile RuntimeException away = new CannotGetJdbcConnectionException("database away");
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final List<String> saved = new ArrayList<>();

        Store() {
            super(null, null, JSON);
        }

        @Override
        synchronized void saveAll(Run run, String instanceId, List<RunEvent> events, RunStatus status) {
            if (away != null) {
                throw away;
            }
            if (refused.contains(run.id())) {
                throw new DataIntegrityViolationException("invalid byte sequence for encoding \"UTF8\": 0x00");
            }
            saved.add(run.id());
        }
    }

    private final Store store = new Store();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RunBacklog backlog(int maxRuns, DataSize maxBytes, int maxSetAside) {
        return new RunBacklog(store, new BacklogProperties(Duration.ofSeconds(2), maxRuns, maxBytes, maxSetAside),
                new RunMetrics(registry));
    }

    @Test
    void aRunThatCanNeverBeWrittenIsSetAsideAndTheRunsBehindItAreSaved() {
        RunBacklog backlog = backlog(100, DataSize.ofMegabytes(10), 10);
        store.refused.add("poison");
        for (String id : List.of("poison", "first", "second")) {
            save(backlog, id, 3, 100);
        }
        backlog.flush();
        assertThat(store.saved).as("the database is away: nothing written, nothing set aside").isEmpty();
        assertThat(backlog.waitingRuns()).isEqualTo(3);
        assertThat(unsaveable("failed")).isZero();

        store.away = null;
        backlog.flush();
        assertThat(store.saved).containsExactly("first", "second");
        assertThat(backlog.waitingRuns()).isZero();
        assertThat(unsaveable("failed")).isEqualTo(1);
        assertThat(backlog.find("poison")).as("readable until a restart").isPresent();
        assertThat(backlog.find("first")).as("written: read from the database now").isEmpty();

        backlog.flush();
        assertThat(store.saved).as("a set-aside run is not tried again").containsExactly("first", "second");
    }

    @Test
    void onlyTheDatabaseBeingAwayKeepsARunWaiting() {
        assertThat(RunBacklog.databaseAway(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(RunBacklog.databaseAway(new CannotAcquireLockException("lock timeout"))).isTrue();
        assertThat(RunBacklog.databaseAway(new UncategorizedSQLException("insert", "insert",
                new java.sql.SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(RunBacklog.databaseAway(new DataIntegrityViolationException("NUL in text"))).isFalse();
        assertThat(RunBacklog.databaseAway(new UncategorizedSQLException("insert", "insert",
                new java.sql.SQLException("raised by a trigger", "P0001")))).isFalse();
        assertThat(RunBacklog.databaseAway(new IllegalStateException("a bug"))).isFalse();

        RunBacklog backlog = backlog(100, DataSize.ofMegabytes(10), 10);
        save(backlog, "a", 1, 10);
        store.away = new IllegalStateException("not a database failure");
        backlog.flush();
        assertThat(backlog.waitingRuns()).isZero();
        assertThat(unsaveable("failed")).isEqualTo(1);
    }

    @Test
    void beyondItsBoundsTheOldestWaitingRunIsDroppedAndCounted() {
        RunBacklog backlog = backlog(3, DataSize.ofMegabytes(10), 10);
        for (String id : List.of("r1", "r2", "r3", "r4", "r5")) {
            save(backlog, id, 1, 10);
        }
        assertThat(backlog.waitingRuns()).isEqualTo(3);
        assertThat(backlog.find("r1")).isEmpty();
        assertThat(backlog.find("r2")).isEmpty();
        assertThat(backlog.find("r5")).isPresent();
        assertThat(unsaveable("backlog-full")).isEqualTo(2);

    }

    @Test
    void theBacklogHoldsAtMostItsBytes() {
        // 10 events of 10,000 characters ≈ 100 KB a run: 250 KB hold two
        RunBacklog small = backlog(100, DataSize.ofKilobytes(250), 10);
        for (String id : List.of("b1", "b2", "b3")) {
            save(small, id, 10, 10_000);
        }
        assertThat(small.waitingRuns()).isEqualTo(2);
        assertThat(small.find("b1")).isEmpty();
        assertThat(small.heldBytes()).isBetween(200_000L, 250L * 1024);
        assertThat(registry.get("deepscope.runs.backlog.bytes").gauge().value()).isEqualTo((double) small.heldBytes());
        assertThat(unsaveable("backlog-full")).isEqualTo(1);
        store.away = null;
        small.flush();
        assertThat(store.saved).containsExactly("b2", "b3");
        assertThat(small.heldBytes()).isZero();
    }

    @Test
    void setAsideRunsAreBoundedAndGoFirstWhenMemoryIsShort() {
        RunBacklog backlog = backlog(100, DataSize.ofKilobytes(250), 2);
        store.away = null;
        for (String id : List.of("p1", "p2", "p3")) {
            store.refused.add(id);
            save(backlog, id, 1, 10);
        }
        backlog.flush();
        assertThat(unsaveable("failed")).isEqualTo(3);
        assertThat(backlog.find("p1")).as("only the newest two set-aside runs are kept").isEmpty();
        assertThat(backlog.find("p3")).isPresent();

        store.away = new CannotGetJdbcConnectionException("away again");
        // two waiting runs of 127,092 bytes and the two set-aside ones of 1,102 are over 250 KB (256,000 bytes) by
        // 388: the older set-aside run goes, and that is enough
        save(backlog, "w1", 1, 126_000);
        save(backlog, "w2", 1, 126_000);
        assertThat(backlog.find("p2")).as("set aside, dropped before any run that may still be written").isEmpty();
        assertThat(backlog.find("p3")).isPresent();
        assertThat(backlog.waitingRuns()).isEqualTo(2);
        assertThat(backlog.heldBytes()).isEqualTo(2 * 127_092 + 1_102);
        assertThat(unsaveable("backlog-full")).isZero();
    }

    private void save(RunBacklog backlog, String id, int events, int characters) {
        Instant now = Instant.now();
        Run run = new Run(id, "ticker", JSON.createObjectNode(), null, RunStatus.RUNNING, null, now, null, "s");
        List<RunEvent> list = new ArrayList<>();
        for (int i = 1; i <= events; i++) {
            list.add(new RunEvent(i, i == events ? RunEvent.DONE : "tick", "\"" + "x".repeat(characters) + "\"", now));
        }
        backlog.save(run, "instance", list, RunStatus.DONE);
    }

    private double unsaveable(String reason) {
        var counter = registry.find("deepscope.runs.unsaveable").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
