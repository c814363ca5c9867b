package dev.deepscope.runs;

import dev.deepscope.system.DeepScopeProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A run computes while someone watches. It stops when its last viewer has been gone for the reconnect
 * grace period (long enough to come back with Last-Event-ID), or, if nobody ever opened it, after the
 * unwatched timeout. Viewers on other instances count too: they touch the run's row while they follow it.
 */
@Component
class AbandonedRuns {

    private final RunStore store;
    private final Duration grace;
    private final Duration unwatched;
    private final Duration checkEvery;

    AbandonedRuns(RunStore store, DeepScopeProperties properties) {
        this.store = store;
        this.grace = properties.runs().reconnectGrace();
        this.unwatched = properties.runs().unwatchedTimeout();
        this.checkEvery = (grace.compareTo(unwatched) <= 0 ? grace : unwatched).dividedBy(2);
    }

    /** Checks the run every half grace period until the returned handle is disposed (when the run ends). */
    Disposable watch(RunChannel channel) {
        return Flux.interval(checkEvery).onBackpressureDrop()   // a slow check skips ticks rather than ending the watch
                .publishOn(Schedulers.boundedElastic(), 1).subscribe(t -> check(channel));
    }

    private void check(RunChannel channel) {
        if (channel.watched() || watchedElsewhere(channel.runId())) {
            return;
        }
        Instant now = Instant.now();
        Instant left = channel.lastViewerLeft();
        if (left != null && Duration.between(left, now).compareTo(grace) >= 0) {
            channel.stop("Every viewer disconnected.", false);
        } else if (left == null && !channel.everWatched()
                && Duration.between(channel.run().createdAt(), now).compareTo(unwatched) >= 0) {
            channel.stop("Nobody opened this run's stream.", false);
        }
    }

    private boolean watchedElsewhere(String runId) {
        try {
            return store.watchedWithin(runId, grace);
        } catch (DataAccessException e) {
            return false;
        }
    }
}
