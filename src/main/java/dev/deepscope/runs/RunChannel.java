package dev.deepscope.runs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A run while it executes on this instance: its events so far (replayed to every new viewer), who is
 * watching, and whether it was asked to stop. Once the run has ended its events are read from the
 * database instead, so a channel lives only as long as its run.
 */
final class RunChannel {

    private final String runId;
    private final Sinks.Many<RunEvent> events = Sinks.many().replay().all();
    private final AtomicLong lastId = new AtomicLong();
    private final AtomicInteger viewers = new AtomicInteger();
    private final AtomicInteger viewersEver = new AtomicInteger();
    private final AtomicReference<String> cancelReason = new AtomicReference<>();

    RunChannel(String runId) {
        this.runId = runId;
    }

    String runId() {
        return runId;
    }

    long nextId() {
        return lastId.incrementAndGet();
    }

    /** Called by the one worker thread of the run, in order. */
    void publish(RunEvent event) {
        events.emitNext(event, Sinks.EmitFailureHandler.FAIL_FAST);
        if (event.isTerminal()) {
            events.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    /** Everything after {@code afterId}, then live events until the run ends; counts the viewer. */
    Flux<RunEvent> watch(long afterId, Runnable lastViewerLeft) {
        return events.asFlux()
                .filter(e -> e.id() > afterId)
                .doOnSubscribe(s -> {
                    viewers.incrementAndGet();
                    viewersEver.incrementAndGet();
                })
                .doFinally(signal -> {
                    if (viewers.decrementAndGet() == 0) {
                        lastViewerLeft.run();
                    }
                });
    }

    boolean watched() {
        return viewers.get() > 0;
    }

    boolean everWatched() {
        return viewersEver.get() > 0;
    }

    void cancel(String reason) {
        cancelReason.compareAndSet(null, reason);
    }

    /** Why the run was cancelled, or null while it may go on. */
    String cancelReason() {
        return cancelReason.get();
    }
}
