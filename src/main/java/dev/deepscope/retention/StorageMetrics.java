package dev.deepscope.retention;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the database holds, for Prometheus: stored runs, their events and bytes ({@code deepscope.storage.*}, one
 * pass over the runs table, not the events, kept for {@link #FRESH} so scrapes never pile up queries), the
 * database's size on disk, and the runs and sessions the sweeper removed and why
 * ({@code deepscope.retention.removed{reason=age|size}}).
 */
@Component
class StorageMetrics {

    /** Stored totals; NaN until the database first answers. */
    record Figures(double runs, double events, double bytes, double databaseBytes) {
        static final Figures UNKNOWN = new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    static final Duration FRESH = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final MeterRegistry registry;
    private final Map<String, Counter> removed;
    private final Counter sessions;
    private final LoadingCache<Boolean, Figures> figures;
    private volatile Figures last = Figures.UNKNOWN;

    StorageMetrics(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.figures = Caffeine.newBuilder().maximumSize(1).expireAfterWrite(FRESH).build(k -> read());
        gauge("deepscope.storage.runs", "Runs stored (all instances)", null, Figures::runs);
        gauge("deepscope.storage.events", "Run events stored", null, Figures::events);
        gauge("deepscope.storage.bytes", "What the runs and their events hold (runs.stored_bytes)", "bytes", Figures::bytes);
        gauge("deepscope.storage.database", "The database on disk (pg_database_size)", "bytes", Figures::databaseBytes);
        this.removed = Map.of(Expiry.AGE, removedCounter(Expiry.AGE, registry), Expiry.SIZE,
                removedCounter(Expiry.SIZE, registry));
        this.sessions = Counter.builder("deepscope.retention.sessions.removed")
                .description("Sessions without runs removed after max-age").register(registry);
    }

    private static Counter removedCounter(String reason, MeterRegistry registry) {
        return Counter.builder("deepscope.retention.removed").description("Runs removed by the retention sweeper")
                .tag("reason", reason).register(registry);
    }

    /** {@code reason}: {@link Expiry#AGE} or {@link Expiry#SIZE}. */
    void removed(String reason, int runs) {
        removed.get(reason).increment(runs);
    }

    void sessionsRemoved(int count) {
        sessions.increment(count);
    }

    /** The totals, at most {@link #FRESH} old. */
    Figures figures() {
        return figures.get(Boolean.TRUE);
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<Figures> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.figures())).description(description).baseUnit(unit)
                .register(registry);
    }

    /** The last figures known while the database is away. */
    private Figures read() {
        try {
            last = jdbc.sql("""
                    select count(*) as runs, coalesce(sum(stored_events), 0) as events,
                           coalesce(sum(stored_bytes), 0) as bytes, pg_database_size(current_database()) as database
                    from runs""")
                    .query((rs, n) -> new Figures(rs.getLong("runs"), rs.getLong("events"), rs.getLong("bytes"),
                            rs.getLong("database")))
                    .single();
        } catch (DataAccessException e) {
            // keep the last figures
        }
        return last;
    }
}
