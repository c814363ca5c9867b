package dev.deepscope.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A run while it executes on this instance: its events so far (replayed to every new viewer), who is
 * watching, whether it was asked to stop, and whether every event reached the database. Once the run
 * has ended its events are read from the database instead, so a channel lives only as long as its run.
 */
final class RunChannel {

    /** Why a run stops early: a person or nobody watching (cancelled), or the server going down (interrupted). */
    record Stop(String reason, boolean interrupted) {
    }

    private final Run run;
    private final Sinks.Many<RunEvent> live = Sinks.many().replay().all();
    private final List<RunEvent> events = new ArrayList<>();
    private final List<RunEvent> unwritten = new ArrayList<>();
    private final AtomicLong lastId = new AtomicLong();
    private final AtomicInteger viewers = new AtomicInteger();
    private final AtomicInteger viewersEver = new AtomicInteger();
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final AtomicBoolean unsaved = new AtomicBoolean();
    private volatile Instant lastViewerLeft;

    RunChannel(Run run) {
        this.run = run;
    }

    Run run() {
        return run;
    }

    String runId() {
        return run.id();
    }

    long nextId() {
        return lastId.incrementAndGet();
    }

    /** Called by the one worker thread of the run, in order. */
    void publish(RunEvent event) {
        synchronized (events) {
            events.add(event);
        }
        live.emitNext(event, Sinks.EmitFailureHandler.FAIL_FAST);
        if (event.isTerminal()) {
            live.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    /** Queues an event for the database; true if it is the first of a new batch. */
    boolean queueForWrite(RunEvent event) {
        synchronized (unwritten) {
            unwritten.add(event);
            return unwritten.size() == 1;
        }
    }

    /** The events queued since the last batch, emptying the queue. */
    List<RunEvent> takeUnwritten() {
        synchronized (unwritten) {
            List<RunEvent> batch = List.copyOf(unwritten);
            unwritten.clear();
            return batch;
        }
    }

    List<RunEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Everything after {@code afterId}, then live events until the run ends; counts the viewer. */
    Flux<RunEvent> watch(long afterId) {
        return live.asFlux()
                .filter(e -> e.id() > afterId)
                .doOnSubscribe(s -> {
                    viewers.incrementAndGet();
                    viewersEver.incrementAndGet();
                })
                .doFinally(signal -> {
                    if (viewers.decrementAndGet() == 0) {
                        lastViewerLeft = Instant.now();
                    }
                });
    }

    /** When the last viewer left, or null if someone is watching or nobody ever did. */
    Instant lastViewerLeft() {
        return watched() ? null : lastViewerLeft;
    }

    boolean watched() {
        return viewers.get() > 0;
    }

    boolean everWatched() {
        return viewersEver.get() > 0;
    }

    void stop(String reason, boolean interrupted) {
        stop.compareAndSet(null, new Stop(reason, interrupted));
    }

    /** Why the run must stop, or null while it may go on. */
    Stop stopRequest() {
        return stop.get();
    }

    /** A database write failed: the whole run is written again once the database is back. */
    void markUnsaved() {
        unsaved.set(true);
    }

    boolean unsaved() {
        return unsaved.get();
    }
}
