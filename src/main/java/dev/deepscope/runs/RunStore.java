package dev.deepscope.runs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs, their events, sessions and instances in PostgreSQL. Blocking JDBC: call it from TensorFlow
 * worker or bounded-elastic threads, never the event loop.
 */
@Repository
class RunStore {

    /** An instance that has not beaten for this long is taken for dead, and its running runs as interrupted. */
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    RunStore(JdbcClient jdbc, TransactionTemplate transaction, JsonMapper json) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
    }

    /** The run and its session (created on first use, so a session row exists once it owns something). */
    void insert(Run run, String instanceId) {
        inTransaction(() -> {
            if (run.sessionId() != null) {
                jdbc.sql("insert into sessions (id) values (?) on conflict (id) do update set last_seen = now()")
                        .param(run.sessionId()).update();
            }
            jdbc.sql("""
                    insert into runs (id, kind, params, seed, status, created_at, session_id, instance_id)
                    values (?, ?, ?::jsonb, ?, ?, ?, ?, ?) on conflict (id) do nothing""")
                    .params(run.id(), run.kind(), json.writeValueAsString(run.params()), run.seed(),
                            RunStatus.RUNNING.json(), Timestamp.from(run.createdAt()), run.sessionId(), instanceId)
                    .update();
        });
    }

    /**
     * A batch of a run's events, in one statement and without waiting for the disk: the run's final
     * commit ({@link #finish}) is synchronous, and flushing the write-ahead log flushes everything before
     * it, so a finished run is durable with all its events.
     */
    void append(String runId, List<RunEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            jdbc.sql("set local synchronous_commit = off").update();
            insertEvents(runId, events);
        });
    }

    private void insertEvents(String runId, List<RunEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String rows = String.join(", ", java.util.Collections.nCopies(events.size(), "(?, ?, ?, ?::json, ?)"));
        List<Object> params = new java.util.ArrayList<>();
        for (RunEvent e : events) {
            params.addAll(List.of(runId, e.id(), e.type(), e.data(), Timestamp.from(e.at())));
        }
        jdbc.sql("insert into run_events (run_id, seq, type, data, created_at) values " + rows + " on conflict do nothing")
                .params(params).update();
    }

    /**
     * The last events, the final one and the run's status change together, so a finished run always has
     * all its events and its ending.
     */
    void finish(String runId, List<RunEvent> rest, RunEvent last, RunStatus status) {
        inTransaction(() -> {
            insertEvents(runId, rest);
            insertEvents(runId, List.of(last));
            jdbc.sql("update runs set status = ?, result = ?::jsonb, finished_at = ? where id = ?")
                    .params(status.json(), last.data(), Timestamp.from(last.at()), runId)
                    .update();
        });
    }

    /** Writes a whole run at once (idempotent): what a run computed while the database was away. */
    void saveAll(Run run, String instanceId, List<RunEvent> events, RunStatus status) {
        inTransaction(() -> {
            insert(run, instanceId);
            RunEvent last = events.get(events.size() - 1);
            finish(run.id(), events.subList(0, events.size() - 1), last, status);
        });
    }

    /**
     * Runs the statements in one transaction. A transaction that cannot even begin (the database is
     * unreachable) is reported like any other database failure, as a DataAccessException.
     */
    private void inTransaction(Runnable statements) {
        try {
            transaction.executeWithoutResult(tx -> statements.run());
        } catch (TransactionException e) {
            throw new DataAccessResourceFailureException("database unreachable: " + e.getMessage(), e);
        }
    }

    Optional<Run> find(String id) {
        return jdbc.sql("select * from runs where id = ?").param(id).query(this::run).optional();
    }

    List<RunEvent> events(String runId, long afterSeq) {
        return jdbc.sql("select seq, type, data::text as data, created_at from run_events "
                        + "where run_id = ? and seq > ? order by seq")
                .params(runId, afterSeq)
                .query((rs, n) -> new RunEvent(rs.getLong("seq"), rs.getString("type"), rs.getString("data"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /**
     * One page of a run's events: those with {@code afterSeq < seq <= untilSeq}, in order, cut after the event
     * that brings their data to {@code maxBytes} (so at least one). Keyset by the primary key (run_id, seq).
     */
    List<RunEvent> eventsPage(String runId, long afterSeq, long untilSeq, long maxBytes) {
        return jdbc.sql("""
                        select seq, type, data, created_at from (
                            select seq, type, data::text as data, created_at,
                                   sum(octet_length(data::text)) over (order by seq) - octet_length(data::text) as before
                            from run_events where run_id = ? and seq > ? and seq <= ?) page
                        where before < ? order by seq""")
                .params(runId, afterSeq, untilSeq, maxBytes)
                .query((rs, n) -> new RunEvent(rs.getLong("seq"), rs.getString("type"), rs.getString("data"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** The first event number after {@code seq}, if the run has one (to step over a gap in its numbers). */
    Optional<Long> firstSeqAfter(String runId, long seq) {
        return jdbc.sql("select seq from run_events where run_id = ? and seq > ? order by seq limit 1")
                .params(runId, seq).query(Long.class).optional();
    }

    /** A session's runs (of one kind, or all when {@code kind} is null), newest first: {@code limit} after {@code offset}. */
    List<Run> history(String sessionId, String kind, long offset, int limit) {
        return jdbc.sql("select * from runs where session_id = ? and (cast(? as text) is null or kind = ?) "
                        + "order by created_at desc, id limit ? offset ?")
                .params(sessionId, kind, kind, limit, offset)
                .query(this::run).list();
    }

    void touchWatched(String runId) {
        jdbc.sql("update runs set watched_at = now() where id = ?").param(runId).update();
    }

    /** Whether a viewer on another instance has followed the run within the last {@code window}. */
    boolean watchedWithin(String runId, Duration window) {
        return jdbc.sql("select count(*) from runs where id = ? and watched_at > now() - make_interval(secs => ?)")
                .params(runId, window.toMillis() / 1000.0).query(Integer.class).single() > 0;
    }

    void heartbeat(String instanceId) {
        jdbc.sql("insert into instances (id) values (?) on conflict (id) do update set last_seen = now()")
                .param(instanceId).update();
    }

    void forget(String instanceId) {
        jdbc.sql("delete from instances where id = ?").param(instanceId).update();
    }

    /**
     * Runs left "running" by an instance that stopped (or one that is {@code stopping}): each gets a final
     * error event saying so and the status {@code interrupted}, so its streams end and its page tells the truth.
     */
    int markInterrupted(String data, String stopping) {
        List<String> ids = jdbc.sql("""
                select id from runs where status = 'running' and (instance_id is null or instance_id = ?
                    or instance_id not in (select id from instances where last_seen > now() - make_interval(secs => ?)))""")
                .params(stopping, (double) INSTANCE_TIMEOUT.toSeconds())
                .query(String.class).list();
        for (String id : ids) {
            long next = jdbc.sql("select coalesce(max(seq), 0) + 1 from run_events where run_id = ?")
                    .param(id).query(Long.class).single();
            finish(id, List.of(), new RunEvent(next, RunEvent.ERROR, data, java.time.Instant.now()),
                    RunStatus.INTERRUPTED);
        }
        return ids.size();
    }

    private Run run(ResultSet rs, int row) throws SQLException {
        String result = rs.getString("result");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getString("id"), rs.getString("kind"), json.readTree(rs.getString("params")),
                rs.getObject("seed", Long.class), RunStatus.of(rs.getString("status")),
                result == null ? null : json.readTree(result), rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant(), rs.getString("session_id"));
    }
}
