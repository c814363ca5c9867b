package dev.deepscope.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a run's events to PostgreSQL in small batches, off the TensorFlow thread: the first event of a
 * batch is written at most {@link #WINDOW} after it happened, together with whatever followed it. Viewers on
 * this instance read the run's channel, so they never wait; viewers on other instances see events within
 * the window. A run's last events and its ending are written in one transaction before its channel goes,
 * so a reader who no longer finds the channel finds everything in the table. If a write fails, the whole
 * run is kept and written once the database is back ({@link RunBacklog}).
 */
@Component
class RunWriter {

    static final Duration WINDOW = Duration.ofMillis(50);

    private final RunStore store;
    private final RunBacklog backlog;
    private final RunMetrics metrics;

    RunWriter(RunStore store, RunBacklog backlog, RunMetrics metrics) {
        this.store = store;
        this.backlog = backlog;
        this.metrics = metrics;
    }

    void queue(RunChannel channel, RunEvent event) {
        if (channel.queueForWrite(event)) {
            Mono.delay(WINDOW).publishOn(Schedulers.boundedElastic()).subscribe(t -> writeBatch(channel));
        }
    }

    /** One writer at a time per run (the channel's lock), so batches reach the table in order. */
    private void writeBatch(RunChannel channel) {
        synchronized (channel) {
            List<RunEvent> batch = channel.takeUnwritten();
            if (batch.isEmpty() || channel.unsaved()) {
                return;
            }
            try {
                store.append(channel.runId(), batch);
                written(batch);
            } catch (DataAccessException e) {
                channel.markUnsaved();
            }
        }
    }

    /** Writes the rest of the run and its final event with its status, or hands it all to the backlog. */
    void finish(RunChannel channel, RunEvent last, RunStatus status) {
        synchronized (channel) {
            List<RunEvent> rest = channel.takeUnwritten();
            if (!channel.unsaved()) {
                try {
                    store.finish(channel.runId(), rest, last, status);
                    written(rest);
                    written(List.of(last));
                } catch (DataAccessException e) {
                    channel.markUnsaved();
                }
            }
        }
    }

    void saveLater(RunChannel channel, RunStatus status, String instanceId) {
        backlog.save(channel.run(), instanceId, channel.events(), status);
    }

    /** Event latency: from the moment an event happened until it is in the table. */
    private void written(List<RunEvent> events) {
        Instant now = Instant.now();
        events.forEach(e -> metrics.eventWritten(Duration.between(e.at(), now)));
    }
}
