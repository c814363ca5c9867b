package dev.deepscope.runs;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs that finished while PostgreSQL was unreachable, kept in memory and written (whole, idempotently)
 * as soon as the database answers again, so a database outage loses no finished run.
 */
@Component
class RunBacklog {

    private static final Logger log = LoggerFactory.getLogger(RunBacklog.class);

    record Pending(Run run, String instanceId, List<RunEvent> events, RunStatus status) {

        /** The run as it ended (the record was made when it started). */
        Run finished() {
            RunEvent last = events.get(events.size() - 1);
            return new Run(run.id(), run.kind(), run.params(), run.seed(), status, null, run.createdAt(), last.at(),
                    run.sessionId());
        }
    }

    private final RunStore store;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    RunBacklog(RunStore store) {
        this.store = store;
    }

    void save(Run run, String instanceId, List<RunEvent> events, RunStatus status) {
        pending.add(new Pending(run, instanceId, events, status));
    }

    /** A run waiting to be written, so it can be shown and replayed meanwhile. */
    Optional<Pending> find(String runId) {
        return pending.stream().filter(p -> p.run().id().equals(runId)).findFirst();
    }

    @Scheduled(fixedDelayString = "${deepscope.backlog.retry:2s}")
    void flush() {
        for (Pending p = pending.peek(); p != null; p = pending.peek()) {
            try {
                store.saveAll(p.run(), p.instanceId(), p.events(), p.status());
                pending.poll();
                log.info("Saved run {} computed while the database was unreachable", p.run().id());
            } catch (DataAccessException e) {
                return; // still away; try again on the next tick
            }
        }
    }
}
