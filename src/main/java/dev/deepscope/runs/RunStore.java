package dev.deepscope.runs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Runs and their events in PostgreSQL. Blocking JDBC: call it from worker or bounded-elastic threads only. */
@Repository
class RunStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    RunStore(JdbcClient jdbc, TransactionTemplate transaction, JsonMapper json) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
    }

    void insert(Run run) {
        jdbc.sql("insert into runs (id, kind, params, seed, status, created_at) values (?, ?, ?::jsonb, ?, ?, ?)")
                .params(run.id(), run.kind(), json.writeValueAsString(run.params()), run.seed(),
                        run.status().json(), Timestamp.from(run.createdAt()))
                .update();
    }

    void append(String runId, RunEvent event) {
        jdbc.sql("insert into run_events (run_id, seq, type, data) values (?, ?, ?, ?::json)")
                .params(runId, event.id(), event.type(), event.data())
                .update();
    }

    /** The final event and the run's status change together, so a finished run always has its ending. */
    void finish(String runId, RunEvent last, RunStatus status) {
        transaction.executeWithoutResult(tx -> {
            append(runId, last);
            jdbc.sql("update runs set status = ?, result = ?::jsonb, finished_at = now() where id = ?")
                    .params(status.json(), last.data(), runId)
                    .update();
        });
    }

    Optional<Run> find(String id) {
        return jdbc.sql("select * from runs where id = ?").param(id).query(this::run).optional();
    }

    List<RunEvent> events(String runId, long afterSeq) {
        return jdbc.sql("select seq, type, data::text as data from run_events where run_id = ? and seq > ? order by seq")
                .params(runId, afterSeq)
                .query((rs, n) -> new RunEvent(rs.getLong("seq"), rs.getString("type"), rs.getString("data")))
                .list();
    }

    /**
     * Runs left "running" by a server that stopped: each gets a final error event saying so and the
     * status {@code interrupted}, so their streams end and their pages tell the truth.
     */
    int markInterrupted(String data) {
        List<String> ids = jdbc.sql("select id from runs where status = 'running'").query(String.class).list();
        for (String id : ids) {
            long next = jdbc.sql("select coalesce(max(seq), 0) + 1 from run_events where run_id = ?")
                    .param(id).query(Long.class).single();
            finish(id, new RunEvent(next, RunEvent.ERROR, data), RunStatus.INTERRUPTED);
        }
        return ids.size();
    }

    private Run run(ResultSet rs, int row) throws SQLException {
        String result = rs.getString("result");
        Timestamp finished = rs.getTimestamp("finished_at");
        Long seed = rs.getObject("seed", Long.class);
        return new Run(rs.getString("id"), rs.getString("kind"), json.readTree(rs.getString("params")),
                seed, RunStatus.of(rs.getString("status")),
                result == null ? null : json.readTree(result), rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
