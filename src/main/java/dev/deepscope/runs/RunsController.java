package dev.deepscope.runs;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.retention.RunUse;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.web.BrowserSession;
import dev.deepscope.web.Caller;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/** Runs over HTTP: create, look at, stream (SSE, resumable with Last-Event-ID), cancel. */
@RestController
@RequestMapping("/api/runs")
class RunsController {

    record RunRequest(String kind, JsonNode params) {
    }

    /** Several runs to start together: all of them or none. */
    record BatchRequest(List<RunRequest> runs) {
    }

    record BatchView(List<RunView> runs) {
    }

    /** A run as the caller sees it; {@code owned}: the caller's session started it, so it may cancel it. */
    record RunView(String id, String kind, JsonNode params, Long seed, RunStatus status, JsonNode result,
                   Instant createdAt, Instant finishedAt, boolean owned, Map<String, String> links) {

        static RunView of(Run run, String session) {
            return new RunView(run.id(), run.kind(), run.params(), run.seed(), run.status(), run.result(),
                    run.createdAt(), run.finishedAt(), session.equals(run.sessionId()), Map.of(
                            "self", "/api/runs/" + run.id(),
                            "events", "/api/runs/" + run.id() + "/events",
                            "share", "/r/" + run.id()));
        }
    }

    private final RunService runs;
    private final RunFollower follower;
    private final Duration heartbeat;
    private final RunUse use;
    private final ServerStop serverStop;

    RunsController(RunService runs, RunFollower follower, DeepScopeProperties properties, RunUse use,
                   ServerStop serverStop) {
        this.runs = runs;
        this.serverStop = serverStop;
        this.follower = follower;
        this.use = use;
        this.heartbeat = properties.runs().heartbeat();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<RunView>> create(@RequestBody RunRequest request, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return Mono.fromCallable(() -> runs.create(request.kind(), request.params(), caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> created(run, caller.session()));
    }

    /**
     * Starts every run of the batch or none: 201 with all of them in order, or 429 + Retry-After with none
     * started (a race of GD against SGD must not leave one running alone). Bad params name their run, e.g.
     * {@code runs[1].params.batchSize}.
     */
    @PostMapping(value = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<BatchView>> createAll(@RequestBody BatchRequest request, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        List<RunService.Request> requests = request.runs() == null ? null : request.runs().stream()
                .map(r -> r == null ? null : new RunService.Request(r.kind(), r.params())).toList();
        return Mono.fromCallable(() -> runs.createAll(requests, caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(started -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(new BatchView(started.stream().map(run -> RunView.of(run, caller.session())).toList())));
    }

    /** The same kind and params again (so the same seed and the same output), as a new run of the caller's. */
    @PostMapping("/{id}/rerun")
    Mono<ResponseEntity<RunView>> rerun(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return Mono.fromCallable(() -> runs.rerun(id, caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> created(run, caller.session()));
    }

    private static ResponseEntity<RunView> created(Run run, String session) {
        return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(RunView.of(run, session));
    }

    @GetMapping("/{id}")
    Mono<RunView> get(@PathVariable String id, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> runs.get(id))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> RunView.of(run, session));
    }

    /** 202: asked to stop. Only the session that started the run may (403 for anyone else); 404 for no such run. */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<RunView>> cancel(@PathVariable String id, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> runs.cancel(id, session))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> ResponseEntity.accepted().body(RunView.of(run, session)));
    }

    /**
     * Every event with its id, name and JSON data; the stream ends after done, error or cancelled.
     * A finished run replays its recorded events, paced by {@code speed} (0 = at once, 1 = original pace).
     * A comment line every heartbeat keeps idle connections (and proxies) from timing out. Frames are
     * encoded once per event and shared by all viewers ({@link RunEvent#frame()}). A run retention removed
     * answers 410. Every stream ends when the server stops ({@link ServerStop}), a live run's after its
     * interrupted event.
     */
    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<DataBuffer> events(@PathVariable String id,
                            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                            @RequestParam(defaultValue = "0") double speed, ServerWebExchange exchange) {
        long after = parseLastEventId(lastEventId);
        if (!(speed >= 0 && speed <= 100)) {
            throw new InvalidFieldException("speed", "must be 0 (as fast as possible) to 100 (1 = the original pace)");
        }
        DataBufferFactory buffers = exchange.getResponse().bufferFactory();
        Sinks.Empty<Void> ended = Sinks.empty();
        // opening the events is a use of the run (its retention counts from the last one), recorded alongside
        Flux<DataBuffer> events = Flux.merge(use.opened(id, BrowserSession.of(exchange)).thenMany(Flux.<RunEvent>empty()),
                        follower.events(id, after, speed))
                .map(e -> buffers.wrap(e.frame()))
                .doFinally(s -> ended.tryEmitEmpty());
        Flux<DataBuffer> heartbeats = Flux.interval(heartbeat, heartbeat)
                .onBackpressureDrop() // a client too slow to take events needs no heartbeat (interval would fail)
                .map(i -> buffers.wrap(HEARTBEAT))
                .takeUntilOther(ended.asMono());
        return Flux.merge(events, heartbeats).takeUntilOther(serverStop.signal());
    }

    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static long parseLastEventId(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("Last-Event-ID", "must be a non-negative event id, not '" + value + "'");
        }
    }
}
