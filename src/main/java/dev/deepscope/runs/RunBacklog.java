package dev.deepscope.runs;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs that finished while PostgreSQL was unreachable, kept in memory and written (whole, idempotently) as soon
 * as the database answers again, so a database outage loses no finished run.
 *
 * <p>Only "the database is away" keeps a run waiting for the next try. A run that fails for any other reason
 * (its data cannot be stored) would fail forever: it is logged with its id, counted
 * ({@code deepscope.runs.unsaveable}, reason {@code failed}) and set aside, and the runs behind it are written.
 * The newest {@code max-set-aside} of those stay readable here until a restart.
 *
 * <p>Memory is bounded ({@link BacklogProperties}): when more than {@code max-runs} runs wait, or they and the
 * set-aside runs hold more than {@code max-bytes}, the set-aside runs go first (they will never be written), then
 * the oldest waiting run, logged and counted (reason {@code backlog-full}). Dropping the oldest rather than
 * refusing the newest is the lesser loss: only a restart or a longer outage could still save either, and the
 * newest run is the one a person is most likely still looking at or about to share.
 */
@Component
class RunBacklog {

    private static final Logger log = LoggerFactory.getLogger(RunBacklog.class);
    /** SQLSTATE classes that mean the server or the connection is gone, not the data: 08 connection exception,
     * 53 insufficient resources, 57 operator intervention (shutdown), 58 system error. */
    private static final List<String> AWAY_STATES = List.of("08", "53", "57", "58");
    /** What a waiting run costs beyond its events' text (objects, the list). */
    private static final long OVERHEAD = 1024;
    private static final long EVENT_OVERHEAD = 64;

    /** A run waiting to be written; {@code bytes} is about what it holds in memory ({@link #sizeOf}). */
    record Pending(Run run, String instanceId, List<RunEvent> events, RunStatus status, long bytes) {

        /** The run as it ended (the record was made when it started). */
        Run finished() {
            RunEvent last = events.get(events.size() - 1);
            return new Run(run.id(), run.kind(), run.params(), run.seed(), status, null, run.createdAt(), last.at(),
                    run.sessionId());
        }

    }

    /** About what a run holds in memory: its events' and params' JSON text (a character of JSON ≈ a byte). */
    static long sizeOf(Run run, List<RunEvent> events) {
        long text = run.params() == null ? 0 : run.params().toString().length();
        for (RunEvent e : events) {
            text += e.data().length() + EVENT_OVERHEAD;
        }
        return text + OVERHEAD;
    }

    private final RunStore store;
    private final BacklogProperties limits;
    private final RunMetrics metrics;
    private final Deque<Pending> waiting = new ArrayDeque<>();   // oldest first; guarded by this
    private final Deque<Pending> setAside = new ArrayDeque<>();  // oldest first; guarded by this
    private long bytes;                                          // of both; guarded by this

    RunBacklog(RunStore store, BacklogProperties limits, RunMetrics metrics) {
        this.store = store;
        this.limits = limits;
        this.metrics = metrics;
        metrics.watchBacklog(this::waitingRuns, this::heldBytes);
    }

    synchronized void save(Run run, String instanceId, List<RunEvent> events, RunStatus status) {
        Pending p = new Pending(run, instanceId, events, status, sizeOf(run, events));
        waiting.addLast(p);
        bytes += p.bytes();
        trim();
    }

    /** A run waiting to be written (or set aside), so it can be shown and replayed meanwhile. */
    synchronized Optional<Pending> find(String runId) {
        return Stream.concat(waiting.stream(), setAside.stream()).filter(p -> p.run().id().equals(runId)).findFirst();
    }

    synchronized int waitingRuns() {
        return waiting.size();
    }

    synchronized long heldBytes() {
        return bytes;
    }

    /**
     * Writes the waiting runs, oldest first, until the database turns out to be away. The lock is not held while
     * writing: viewers keep finding the runs, and a run dropped meanwhile is simply not found again.
     */
    @Scheduled(fixedDelayString = "${deepscope.backlog.retry}")
    void flush() {
        for (Pending p = oldest(); p != null; p = oldest()) {
            try {
                store.saveAll(p.run(), p.instanceId(), p.events(), p.status());
                remove(p);
                log.info("Saved run {} computed while the database was unreachable", p.run().id());
            } catch (RuntimeException e) {
                if (databaseAway(e)) {
                    return; // still away; try again on the next tick
                }
                log.error("Run {} ({}) cannot be saved and is set aside; the runs behind it are saved",
                        p.run().id(), p.run().kind(), e);
                metrics.unsaveable("failed");
                setAside(p);
            }
        }
    }

    /** Whether the failure is the database being unreachable or overloaded (worth another try), not the data. */
    static boolean databaseAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && AWAY_STATES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private synchronized Pending oldest() {
        return waiting.peekFirst();
    }

    private synchronized void remove(Pending p) {
        if (waiting.removeIf(w -> w == p)) {
            bytes -= p.bytes();
        }
    }

    private synchronized void setAside(Pending p) {
        if (waiting.removeIf(w -> w == p)) {
            setAside.addLast(p);
            trim();
        }
    }

    /** Back within the bounds: set-aside runs first, then the oldest waiting ones. */
    private void trim() {
        long maxBytes = limits.maxBytes().toBytes();
        while (!setAside.isEmpty() && (setAside.size() > limits.maxSetAside() || bytes > maxBytes)) {
            bytes -= setAside.pollFirst().bytes();
        }
        while (!waiting.isEmpty() && (waiting.size() > limits.maxRuns() || bytes > maxBytes)) {
            Pending dropped = waiting.pollFirst();
            bytes -= dropped.bytes();
            metrics.unsaveable("backlog-full");
            log.error("The save backlog is full ({} runs, {} bytes at most): run {} ({}), waiting since {} for the "
                            + "database, is dropped and will not be saved", limits.maxRuns(), maxBytes,
                    dropped.run().id(), dropped.run().kind(), dropped.finished().finishedAt());
        }
    }
}
