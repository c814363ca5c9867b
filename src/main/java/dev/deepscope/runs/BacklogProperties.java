package dev.deepscope.runs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The save backlog's bounds, under {@code deepscope.backlog.*} ({@link RunBacklog}).
 *
 * @param retry       how often the runs waiting for the database are tried again
 * @param maxRuns     runs that may wait at once
 * @param maxBytes    what their events and params may hold in memory, waiting and set aside together
 * @param maxSetAside runs set aside (never writable) kept readable until a restart
 */
@ConfigurationProperties("deepscope.backlog")
record BacklogProperties(Duration retry, int maxRuns, DataSize maxBytes, int maxSetAside) {
}
