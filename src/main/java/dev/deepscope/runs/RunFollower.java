package dev.deepscope.runs;

import dev.deepscope.system.DeepScopeProperties;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Instant;
import java.util.function.Function;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a viewer of a run receives, wherever the run computes: live from this instance's channel, live
 * from another instance through LISTEN/NOTIFY and the events table, or, once it has ended, the recorded
 * events (the identical sequence, without recomputation; read in pages shared by all its viewers,
 * {@link ReplayPages}) as fast as possible or at the original pace.
 */
@Component
public class RunFollower {

    /** Longest pause a paced replay keeps, so a run that idled does not leave its viewer waiting. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    /** A safety net under NOTIFY, which is lost while the listening connection reconnects. */
    private static final Duration POLL = Duration.ofSeconds(2);

    private final LiveRuns live;
    private final RunRecords records;
    private final RunStore store;
    private final RunNotifications notifications;
    private final ReplayPages replays;
    private final Duration touchEvery;

    RunFollower(LiveRuns live, RunRecords records, RunStore store, RunNotifications notifications, ReplayPages replays,
                DeepScopeProperties properties) {
        this.live = live;
        this.records = records;
        this.store = store;
        this.replays = replays;
        this.notifications = notifications;
        this.touchEvery = properties.runs().reconnectGrace().dividedBy(2);
    }

    /**
     * The run's events after {@code afterId}. {@code speed} paces a replay of a finished run: 0 is as fast
     * as possible, 1 the original pace, 2 twice as fast.
     */
    public Flux<RunEvent> events(String id, long afterId, double speed) {
        return Flux.defer(() -> live.get(id)
                .map(channel -> channel.watch(afterId))
                .or(() -> records.unsavedEvents(id).map(events -> pace(Flux.fromIterable(events)
                        .filter(e -> e.id() > afterId), speed)))
                .orElseGet(() -> replays.status(id)
                        .flatMapMany(status -> status == RunStatus.RUNNING
                                ? live.get(id).map(c -> c.watch(afterId)).orElseGet(() -> followRemote(id, afterId))
                                : pace(replays.events(id, afterId), speed))));
    }

    /** A run computing on another instance: read what is new each time it says so, until it ends. */
    private Flux<RunEvent> followRemote(String id, long afterId) {
        AtomicLong last = new AtomicLong(afterId);
        Flux<Boolean> wakeUps = Flux.merge(notifications.wakeUps(id), Flux.interval(Duration.ZERO, POLL).map(t -> true))
                .onBackpressureLatest();
        Flux<RunEvent> events = wakeUps
                .concatMap(w -> Mono.fromCallable(() -> store.events(id, last.get()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorResume(DataAccessException.class, e -> Mono.empty())
                        .flatMapIterable(Function.identity()), 1)
                .filter(e -> e.id() > last.get())
                .doOnNext(e -> last.set(e.id()))
                .takeUntil(RunEvent::isTerminal);
        // tell the computing instance that someone here is watching, so it does not cancel the run
        Flux<RunEvent> touches = Flux.interval(Duration.ZERO, touchEvery)
                .onBackpressureDrop()   // a touch slower than touchEvery (a busy database) skips ticks, never fails the stream
                .concatMap(t -> Mono.fromRunnable(() -> store.touchWatched(id))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorResume(DataAccessException.class, e -> Mono.empty()))
                .thenMany(Flux.<RunEvent>empty());
        return events.publish(shared -> Flux.merge(shared, touches.takeUntilOther(shared.then())));
    }

    /** Replays recorded events with the gaps they had, divided by {@code speed}. */
    private static Flux<RunEvent> pace(Flux<RunEvent> events, double speed) {
        if (speed <= 0) {
            return events;
        }
        AtomicReference<Instant> previous = new AtomicReference<>();
        // one event at a time, so a paced replay holds no more than the page it is in
        return events.concatMap(e -> {
            Instant before = previous.getAndSet(e.at());
            if (before == null) {
                return Mono.just(e);
            }
            Duration gap = Duration.ofNanos((long) (Duration.between(before, e.at()).toNanos() / speed));
            return Mono.just(e).delayElement(gap.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : gap);
        }, 1);
    }
}
