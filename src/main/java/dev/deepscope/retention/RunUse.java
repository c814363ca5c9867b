package dev.deepscope.retention;

import dev.deepscope.system.RandomIds;
import java.time.Duration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records that a run was opened (its share page or its events): its last use moves on, which its age and the
 * size cap count from, and the first opening by another browser session than its owner's marks it shared
 * ({@code shared_at}), so it is kept for shared-max-age. One guarded UPDATE: it writes only when the last use is
 * older than {@link RetentionProperties#useResolution()} or the run becomes shared, so a run viewed by thousands
 * is written a few times an hour.
 */
@Component
public class RunUse {

    /** The longest a page waits for this bookkeeping. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final double resolutionSeconds;

    RunUse(JdbcClient jdbc, RetentionProperties retention) {
        this.jdbc = jdbc;
        this.resolutionSeconds = retention.useResolution().toMillis() / 1000.0;
    }

    /**
     * Off the event loop; completes empty when done, also when the database is away or slow (after at most
     * {@link #WAIT}: a run computed meanwhile is still shown, and missing one opening only shortens its life a little).
     */
    public Mono<Void> opened(String runId, String viewerSession) {
        if (!RandomIds.isWellFormed(runId)) {
            return Mono.empty();
        }
        return Mono.<Void>fromRunnable(() -> record(runId, viewerSession))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(WAIT, Mono.empty())
                .onErrorResume(DataAccessException.class, e -> Mono.empty());
    }

    private void record(String runId, String viewer) {
        jdbc.sql("""
                update runs set used_at = now(),
                    shared_at = case when shared_at is null and session_id is distinct from :viewer then now()
                                     else shared_at end
                where id = :id and (used_at < now() - make_interval(secs => :resolution)
                                    or (shared_at is null and session_id is distinct from :viewer))""")
                .param("viewer", viewer).param("id", runId).param("resolution", resolutionSeconds)
                .update();
    }
}
