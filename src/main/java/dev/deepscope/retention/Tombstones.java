package dev.deepscope.retention;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ids of removed runs ({@code expired_runs}), so a link to one says it expired instead of "not found".
 * Themselves kept for shared-max-age, then removed by the sweeper. Blocking (JDBC).
 */
@Component
public class Tombstones {

    private final JdbcClient jdbc;
    private final RetentionProperties retention;

    Tombstones(JdbcClient jdbc, RetentionProperties retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** Why the run with this id is gone, or empty if no removed run had it. */
    public Optional<Expiry> find(String id) {
        return jdbc.sql("select expired_at, reason, last_used_at, shared from expired_runs where id = ?").param(id)
                .query((rs, n) -> {
                    boolean shared = rs.getBoolean("shared");
                    return new Expiry(id, rs.getTimestamp("expired_at").toInstant(), rs.getString("reason"),
                            rs.getTimestamp("last_used_at").toInstant(), shared,
                            shared ? retention.sharedMaxAge() : retention.maxAge(), retention.maxBytes());
                })
                .optional();
    }
}
