package dev.deepscope.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Keeps storage bounded: every sweep-interval it removes finished runs past their age (max-age after their last
 * use, shared-max-age if someone else opened them), then, while all runs together store more than max-bytes, the
 * least recently used finished runs; then sessions that own no run and were not seen for max-age, and tombstones
 * older than shared-max-age. Running runs are never removed.
 *
 * <p>Size is measured from {@code runs.stored_bytes}, which triggers keep as events are written (see
 * V3__retention.sql), not from {@code pg_total_relation_size}: PostgreSQL's files do not shrink when rows are
 * deleted (VACUUM only marks the space for reuse), so a cap on file size would go on removing runs that no longer
 * take any space. {@code stored_bytes} counts what the runs hold, and falls as soon as they go.
 *
 * <p>One instance sweeps at a time: a sweep holds a PostgreSQL advisory lock on its own connection, and another
 * instance that cannot take it skips its turn. The sweep runs on its own thread, never the shared scheduler's
 * (which beats the instance's heartbeat), and in batches of {@code batch} runs per statement.
 */
@Component
public class RetentionSweeper implements SmartLifecycle {

    /** What one sweep removed; {@code swept} is false if another instance held the lock or the database was away. */
    public record Report(boolean swept, int expired, int overCap, long bytesFreed, int sessions, int tombstones) {

        static final Report SKIPPED = new Report(false, 0, 0, 0, 0, 0);
    }

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    /** The advisory lock's key: any number, the same for every instance of this app. */
    private static final long LOCK = 0x6465_6570_7363_6f70L; // "deepscop"

    private final DataSource dataSource;
    private final RetentionProperties retention;
    private final StorageMetrics metrics;
    private ScheduledExecutorService timer;

    RetentionSweeper(DataSource dataSource, RetentionProperties retention, StorageMetrics metrics) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.metrics = metrics;
    }

    /** Sweeps as of {@code now} (tests pass a later time instead of waiting). Blocking (JDBC). */
    public Report sweep(Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            if (!jdbc.sql("select pg_try_advisory_lock(?)").param(LOCK).query(Boolean.class).single()) {
                return Report.SKIPPED;
            }
            try {
                return sweep(new Sweep(jdbc, retention.batch()), now);
            } finally {
                jdbc.sql("select pg_advisory_unlock(?)").param(LOCK).query(Boolean.class).single();
            }
        } catch (SQLException | DataAccessException e) {
            log.debug("Retention sweep skipped: database unreachable ({})", e.getMessage());
            return Report.SKIPPED;
        }
    }

    private Report sweep(Sweep sweep, Instant now) {
        Sweep.Removed unshared = repeat(() -> sweep.unsharedOlderThan(now.minus(retention.maxAge()), now));
        Sweep.Removed any = repeat(() -> sweep.olderThan(now.minus(retention.sharedMaxAge()), now));
        int expired = unshared.runs() + any.runs();
        metrics.removed(Expiry.AGE, expired);

        int overCap = 0;
        long freed = 0;
        long excess = sweep.storedBytes() - retention.maxBytes().toBytes();
        while (excess > 0) {
            Sweep.Removed batch = sweep.leastRecentlyUsed(excess, now);
            if (batch.runs() == 0) {
                break; // only running (or locked) runs are left
            }
            overCap += batch.runs();
            freed += batch.bytes();
            excess -= batch.bytes();
        }
        metrics.removed(Expiry.SIZE, overCap);

        int sessions = count(() -> sweep.sessionsWithoutRuns(now.minus(retention.maxAge())));
        metrics.sessionsRemoved(sessions);
        int tombstones = count(() -> sweep.tombstonesOlderThan(now.minus(retention.sharedMaxAge())));
        Report report = new Report(true, expired, overCap, unshared.bytes() + any.bytes() + freed, sessions, tombstones);
        if (expired + overCap + sessions + tombstones > 0) {
            log.info("Retention: removed {} expired runs, {} runs over the size cap ({} bytes), {} sessions, {} tombstones",
                    expired, overCap, report.bytesFreed(), sessions, tombstones);
        }
        return report;
    }

    /** Repeats a batch until one comes back short. */
    private Sweep.Removed repeat(Supplier<Sweep.Removed> batch) {
        int runs = 0;
        long bytes = 0;
        Sweep.Removed last;
        do {
            last = batch.get();
            runs += last.runs();
            bytes += last.bytes();
        } while (last.runs() >= retention.batch());
        return new Sweep.Removed(runs, bytes);
    }

    private int count(Supplier<Integer> batch) {
        int total = 0;
        int last;
        do {
            last = batch.get();
            total += last;
        } while (last >= retention.batch());
        return total;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "retention-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        // soon after a start (the app may have been down for long), then every interval
        Duration interval = retention.sweepInterval();
        Duration first = interval.compareTo(Duration.ofMinutes(1)) < 0 ? interval : Duration.ofMinutes(1);
        timer.scheduleWithFixedDelay(this::sweepNow, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweepNow() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            log.warn("Retention sweep failed", e); // and the next one tries again
        }
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null && !timer.isShutdown();
    }
}
