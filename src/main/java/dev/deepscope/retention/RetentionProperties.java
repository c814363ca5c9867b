package dev.deepscope.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How long runs are kept, under {@code deepscope.retention.*}. A run's age counts from its last use (made, or
 * opened by its share page or events); running runs are never removed.
 *
 * @param maxAge        a finished run nobody else opened, and a session that owns no run, are removed this
 *                      long after their last use
 * @param sharedMaxAge  a run whose share link someone other than its owner opened is kept this long after its
 *                      last use; tombstones of removed runs are kept this long too
 * @param sweepInterval time between two sweeps (one instance sweeps at a time)
 * @param maxBytes      what all runs may store together (their rows and events, as counted in
 *                      {@code runs.stored_bytes}); above it the least recently used finished runs go first
 * @param batch         runs removed per statement, so no sweep holds locks for long
 */
@ConfigurationProperties("deepscope.retention")
public record RetentionProperties(Duration maxAge, Duration sharedMaxAge, Duration sweepInterval, DataSize maxBytes,
                                  int batch) {

    /**
     * How stale a run's {@code used_at} may be before an opening moves it: a tenth of max-age, at most an hour,
     * so a popular run is not written on every view yet never expires while in use.
     */
    public Duration useResolution() {
        Duration tenth = maxAge.dividedBy(10);
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }
}
