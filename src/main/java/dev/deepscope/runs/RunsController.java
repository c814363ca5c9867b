package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.web.Callers;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.retention.RunUse;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.web.BrowserSession;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "runs", description = "Every experiment is a run: started with a kind and params, streamed as events")
class RunsController {

    record RunRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String kind, JsonNode params) {
    }

    /** Several runs to start together: all of them or none. */
    record BatchRequest(@ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "at most as many as one session may have computing (deepscope.runs.per-session)"))
                        List<RunRequest> runs) {
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
    private final RunRecords records;
    private final RunCancellation cancellation;
    private final RunFollower follower;
    private final Duration heartbeat;
    private final RunUse use;
    private final ServerStop serverStop;

    RunsController(RunService runs, RunRecords records, RunCancellation cancellation, RunFollower follower, DeepScopeProperties properties, RunUse use,
                   ServerStop serverStop) {
        this.runs = runs;
        this.records = records;
        this.cancellation = cancellation;
        this.serverStop = serverStop;
        this.follower = follower;
        this.use = use;
        this.heartbeat = properties.runs().heartbeat();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a run", description = "Validates the params (400 naming the field), admits the run "
            + "(429 when a limit is met) and starts it; read its events at links.events.")
    @ApiResponse(responseCode = "201", description = "Started; Location is the run.", useReturnTypeSchema = true)
    Mono<ResponseEntity<RunView>> create(@RequestBody RunRequest request, ServerWebExchange exchange) {
        Caller caller = Callers.of(exchange);
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
    @Operation(summary = "Start several runs together, all or none",
            description = "A race of gradient descent against SGD: every run is validated (a bad one named by its "
                    + "place, e.g. runs[1].params.batchSize), then all are admitted or none (429).")
    @ApiResponse(responseCode = "201", description = "All started, in order.", useReturnTypeSchema = true)
    Mono<ResponseEntity<BatchView>> createAll(@RequestBody BatchRequest request, ServerWebExchange exchange) {
        Caller caller = Callers.of(exchange);
        List<RunService.Request> requests = request.runs() == null ? null : request.runs().stream()
                .map(r -> r == null ? null : new RunService.Request(r.kind(), r.params())).toList();
        return Mono.fromCallable(() -> runs.createAll(requests, caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(started -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(new BatchView(started.stream().map(run -> RunView.of(run, caller.session())).toList())));
    }

    /** The same kind and params again (so the same seed and the same output), as a new run of the caller's. */
    @PostMapping("/{id}/rerun")
    @Operation(summary = "Run again with the same kind, params and seed (the same output)")
    @ApiResponse(responseCode = "201", description = "Started; Location is the new run.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No run has this id.")
    @ApiResponse(responseCode = "410", description = "Retention removed this run (`reason` age or size, `expiredAt`).")
    Mono<ResponseEntity<RunView>> rerun(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Callers.of(exchange);
        return Mono.fromCallable(() -> runs.rerun(id, caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> created(run, caller.session()));
    }

    private static ResponseEntity<RunView> created(Run run, String session) {
        return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(RunView.of(run, session));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A run: kind, params, seed, status, result")
    @ApiResponse(responseCode = "200", description = "The run; `owned`: the caller's session started it.",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No run has this id.")
    @ApiResponse(responseCode = "410", description = "Retention removed this run (`reason` age or size, `expiredAt`).")
    Mono<RunView> get(@PathVariable String id, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> records.get(id))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> RunView.of(run, session));
    }

    /** 202: asked to stop. Only the session that started the run may (403 for anyone else); 404 for no such run. */
    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a run (its owner only)")
    @ApiResponse(responseCode = "202", description = "Asked to stop; the stream ends with cancelled.",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Another session started this run, or a browser marked the "
            + "request as cross-origin.")
    @ApiResponse(responseCode = "404", description = "No run has this id.")
    Mono<ResponseEntity<RunView>> cancel(@PathVariable String id, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> cancellation.cancel(id, session))
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
    @Operation(summary = "A run's events (server-sent events), live or replayed")
    @ApiResponse(responseCode = "200", description = EVENTS, content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No run has this id.")
    @ApiResponse(responseCode = "410", description = "Retention removed this run (`reason` age or size, `expiredAt`).")
    @ApiResponse(responseCode = "429", description = "Too many streams open (`reason` viewers): per address "
            + "(deepscope.streams.per-address) or in all (deepscope.streams.total).")
    Flux<DataBuffer> events(@PathVariable String id,
                            @Parameter(description = "resume after this event id (an EventSource sends it)",
                                    schema = @Schema(type = "integer", minimum = "0"))
                            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                            @Parameter(description = "replay pace of a finished run: 0 at once, 1 the original pace",
                                    schema = @Schema(type = "number", minimum = "0", maximum = "100", defaultValue = "0"))
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

    /** What {@link #events} sends, for the API's document. */
    private static final String EVENTS = "text/event-stream: every event has an id (its sequence number), an event "
            + "name and JSON data; a comment line (:heartbeat) keeps an idle stream open. Events by kind: "
            + "classify: layer (one per layer); train: metric, weights; generate: prompt, token, attention "
            + "(with attention: true); diffuse: prompt, step. Every stream ends with done (the result), "
            + "error (message; status interrupted if the server stopped) or cancelled.";

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
