package dev.deepscope.runs;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.deepscope.system.StreamsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The recorded events of finished runs, read from the store in pages that every viewer of a run shares.
 *
 * <p>A page holds the events after a given one up to the next multiple of {@code page-events}, cut at about
 * {@code page-bytes}; the next page starts after its last event. So N viewers of one run read each page once
 * (a bounded Caffeine cache weighed in bytes, whose in-flight reads are shared too), and a viewer holds only the
 * page it is sending: the next is asked for once the last event of this one has been taken by the connection
 * (backpressure), so a paced replay or a slow client costs one page, never the run.
 *
 * <p>Reads (pages, and the lookups that tell a finished run from a running one) run on {@code page-reads}
 * threads of their own and queue there: a connection is taken only to read, and given back before any event is
 * sent, and replays never hold all of the pool's connections however many viewers come.
 */
@Component
class ReplayPages implements DisposableBean {

    /** The events after {@code after} in one page of {@code runId}. */
    private record PageKey(String runId, long after) {
    }

    /** Events in order, and where the next page starts ({@code next} after this event; negative: none). */
    private record Page(List<RunEvent> events, long next) {
    }

    /** Java's per-object costs of an event (object, strings, instant, list slot), roughly. */
    private static final int EVENT_OVERHEAD = 160;
    /** The finished runs' statuses kept (a few tens of bytes each). */
    private static final long STATUS_CACHE_BYTES = 1 << 20;
    /** How long a status or a page is kept unused: a run removed meanwhile is not served for longer. */
    private static final Duration KEEP = Duration.ofMinutes(2);

    private final RunRecords records;
    private final RunStore store;
    private final int pageEvents;
    private final long pageBytes;
    private final Scheduler reads;
    private final AsyncCache<PageKey, Page> pages;
    private final AsyncCache<String, RunStatus> statuses;
    private final Counter pageReads;
    private final Counter statusReads;

    ReplayPages(RunRecords records, RunStore store, StreamsProperties properties, MeterRegistry registry) {
        this.records = records;
        this.store = store;
        this.pageEvents = properties.pageEvents();
        this.pageBytes = properties.pageBytes().toBytes();
        // a queued read is a few objects, and each viewer waits for at most one: the cap is only a backstop
        this.reads = Schedulers.newBoundedElastic(properties.pageReads(), 100_000, "replay-reads");
        this.pages = Caffeine.newBuilder()
                .maximumWeight(properties.pageCache().toBytes())
                .weigher((PageKey key, Page page) -> weight(page))
                .expireAfterAccess(KEEP)
                .buildAsync();
        this.statuses = Caffeine.newBuilder()
                .maximumWeight(STATUS_CACHE_BYTES)
                .weigher((String id, RunStatus status) -> 2 * id.length() + 64)
                .expireAfter(Expiry.<String, RunStatus>creating(
                        (id, status) -> status == RunStatus.RUNNING ? Duration.ZERO : KEEP))
                .buildAsync();
        this.pageReads = Counter.builder("deepscope.replay.reads").tag("what", "page")
                .description("Pages of recorded events read from the database for replays").register(registry);
        this.statusReads = Counter.builder("deepscope.replay.reads").tag("what", "status")
                .description("Runs looked up in the database for their viewers").register(registry);
    }

    /**
     * The status of the run, read once for all its viewers (a running run's is read again next time, as it
     * changes). Errors with {@link RunRecords#missing} (410 or 404) if there is no such run, with a DataAccessException if
     * the database cannot say.
     */
    Mono<RunStatus> status(String id) {
        // an unknown run is an empty result, not a failed load (which Caffeine would log as a warning)
        return Mono.fromFuture(() -> statuses.get(id, (key, executor) -> read(() -> {
            statusReads.increment();
            return records.find(key).map(Run::status).orElse(null);
        }).toFuture()), true).switchIfEmpty(read(() -> records.missing(id)).flatMap(Mono::error));
    }

    /** The recorded events of a finished run after event {@code afterSeq}, page by page as they are taken. */
    Flux<RunEvent> events(String runId, long afterSeq) {
        return page(new PageKey(runId, afterSeq)).flatMapMany(page -> {
            Flux<RunEvent> these = Flux.fromIterable(page.events());
            // the next page is asked for only when this one's events have all been taken
            return page.next() < 0 ? these : these.concatWith(Flux.defer(() -> events(runId, page.next())));
        });
    }

    private Mono<Page> page(PageKey key) {
        // suppressCancel: a viewer that leaves must not cancel a read other viewers wait for
        return Mono.fromFuture(() -> pages.get(key, (k, executor) -> read(() -> load(k)).toFuture()), true);
    }

    private Page load(PageKey key) {
        pageReads.increment();
        long until = (key.after() / pageEvents + 1) * pageEvents;
        List<RunEvent> events = store.eventsPage(key.runId(), key.after(), until, pageBytes);
        if (events.isEmpty()) {
            // a gap in the numbers (or the end): go on from the next event there is, if any
            return new Page(events, store.firstSeqAfter(key.runId(), until).map(seq -> seq - 1).orElse(-1L));
        }
        RunEvent last = events.get(events.size() - 1);
        return new Page(events, last.isTerminal() ? -1 : last.id());
    }

    /**
     * A blocking read on the replay threads. A connection pool that is momentarily empty (the rest of the app
     * holds every connection) is waited out a few times rather than failing the viewer.
     */
    private <T> Mono<T> read(java.util.concurrent.Callable<T> read) {
        return Mono.fromCallable(read).subscribeOn(reads)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(200))
                        .filter(ReplayPages::poolExhausted)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    private static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static int weight(Page page) {
        long bytes = 64;
        for (RunEvent e : page.events()) {
            // the data, and the SSE frame the event encodes once and keeps
            bytes += 2L * e.data().length() + e.type().length() + EVENT_OVERHEAD;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public void destroy() {
        reads.dispose();
    }

    /** Forgets every page and status (for tests that count reads). */
    void clear() {
        pages.synchronous().invalidateAll();
        statuses.synchronous().invalidateAll();
    }
}
