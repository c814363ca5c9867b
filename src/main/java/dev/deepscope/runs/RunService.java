package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.errors.ForbiddenException;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.retention.Expiry;
import dev.deepscope.retention.Tombstones;
import dev.deepscope.system.RandomIds;
import dev.deepscope.web.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one run lifecycle: validate → admit (a slot, and the session's own limit, or 429; several runs
 * asked for together are admitted as one) → record →
 * execute on a TensorFlow thread, publishing each event to its viewers and writing it ({@link RunWriter})
 * → end with done, error or cancelled. Each run stores at most its kind's {@link EventBudgets budget} of events
 * ({@link EventMeter}). If PostgreSQL is away the run still computes and streams; it is written once the database
 * is back ({@link RunBacklog}).
 */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final Map<String, RunWorker<?>> workers;
    private final RunStore store;
    private final RunBacklog backlog;
    private final RunWriter writer;
    private final RunMetrics metrics;
    private final RunAdmission admission;
    private final JsonMapper json;
    private final String instanceId;
    private final AbandonedRuns abandoned;
    private final RunNotifications notifications;
    private final Tombstones tombstones;
    private final Map<String, RunChannel> live = new ConcurrentHashMap<>();
    private final EventBudgets budgets;

    RunService(List<RunWorker<?>> workers, RunStore store, RunBacklog backlog, RunWriter writer, RunMetrics metrics,
               RunAdmission admission, JsonMapper json, Instance instance, RunNotifications notifications,
               AbandonedRuns abandoned, EventBudgets budgets, Tombstones tombstones) {
        this.budgets = budgets;
        this.notifications = notifications;
        this.tombstones = tombstones;
        this.abandoned = abandoned;
        this.workers = workers.stream().collect(Collectors.toMap(RunWorker::kind, Function.identity()));
        this.store = store;
        this.backlog = backlog;
        this.writer = writer;
        this.metrics = metrics;
        this.admission = admission;
        this.json = json;
        this.instanceId = instance.id();
        metrics.watchActive(live);
        instance.attach(this);
        notifications.cancellations().subscribe(id -> {
            RunChannel channel = live.get(id);
            if (channel != null) {
                channel.stop("Cancelled by request.", false);
            }
        });
    }

    public List<String> kinds() {
        return workers.keySet().stream().sorted().toList();
    }

    /** What to start: a kind and its params (JSON, converted and validated by the kind's worker). */
    public record Request(String kind, JsonNode params) {
    }

    /** Starts a run owned by the caller's session. Blocking (JDBC): call from a bounded-elastic thread. */
    public Run create(String kind, JsonNode params, Caller caller) {
        return start(List.of(prepare(new Request(kind, params))), caller).get(0);
    }

    /**
     * Starts several runs as one (a race of gradient descent against SGD): every one is validated, then all
     * are admitted together or none is (429), so a full server never leaves half a comparison running.
     * A bad one is named by its place, e.g. {@code runs[1].params.batchSize}. Blocking (JDBC).
     */
    public List<Run> createAll(List<Request> requests, Caller caller) {
        if (requests == null || requests.isEmpty() || requests.size() > admission.maxBatch()) {
            throw new InvalidFieldException("runs", "must list 1.." + admission.maxBatch()
                    + " runs (the most one session may have computing at once)");
        }
        List<Prepared<?>> batch = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i) == null ? new Request(null, null) : requests.get(i);
            try {
                batch.add(prepare(request));
            } catch (InvalidFieldException e) {
                throw e.within("runs[" + i + "]");
            }
        }
        return start(batch, caller);
    }

    /** The same kind and params (so the same seed) again: the same output. */
    public Run rerun(String id, Caller caller) {
        Run original = get(id);
        return create(original.kind(), original.params(), caller);
    }

    /**
     * A run that passed validation and waits for admission: its params as it uses them (defaults filled in),
     * their JSON as stored (what the client sent beyond them is gone) and the seed it computes with.
     */
    private record Prepared<P>(RunWorker<P> worker, JsonNode json, P params, Long seed) {
    }

    /** A run admitted with its slot, registered as live, not yet recorded or started. */
    private record Admitted(Prepared<?> prepared, RunChannel channel, TensorFlowExecutor.Slot slot) {
    }

    private Prepared<?> prepare(Request request) {
        RunWorker<?> worker = request.kind() == null ? null : workers.get(request.kind());
        if (worker == null) {
            throw new InvalidFieldException("kind", "must be one of " + kinds());
        }
        JsonNode params = request.params() == null || request.params().isNull() ? json.createObjectNode() : request.params();
        return prepare(worker, params);
    }

    private <P> Prepared<P> prepare(RunWorker<P> worker, JsonNode paramsJson) {
        if (!paramsJson.isObject()) {
            throw new InvalidFieldException("params", "must be a JSON object");
        }
        P asked = convert(paramsJson, worker.paramsType());
        try {
            worker.validate(asked);
        } catch (InvalidFieldException e) {
            throw e.within("params");
        }
        P params = worker.withDefaults(asked);
        return new Prepared<>(worker, json.valueToTree(params), params, worker.seed(params));
    }

    private List<Run> start(List<Prepared<?>> batch, Caller caller) {
        List<Admitted> admitted = admit(batch, caller);
        for (Admitted a : admitted) {
            try {
                store.insert(a.channel().run(), instanceId);
            } catch (DataAccessException e) {
                log.warn("Run {} starts without the database ({}); it is saved when the database is back",
                        a.channel().runId(), e.getMessage());
                a.channel().markUnsaved();
            }
        }
        for (int i = 0; i < admitted.size(); i++) {
            Admitted a = admitted.get(i);
            try {
                submit(a.prepared(), a.channel(), a.slot());
            } catch (RuntimeException e) {
                // the executor refused (it is shutting down): give back what was not started
                for (Admitted rest : admitted.subList(i, admitted.size())) {
                    live.remove(rest.channel().runId());
                    rest.slot().release();
                }
                throw e;
            }
            metrics.started(a.prepared().worker().kind());
        }
        return admitted.stream().map(a -> a.channel().run()).toList();
    }

    /**
     * Admits the whole batch as one step ({@link RunAdmission}) and registers its runs as live. Synchronized
     * so two requests of one session cannot both pass the session check before either's runs are counted.
     */
    private synchronized List<Admitted> admit(List<Prepared<?>> batch, Caller caller) {
        String sessionId = caller.session();
        List<RunWorker<?>> mine = live.values().stream().filter(c -> sessionId.equals(c.run().sessionId()))
                .<RunWorker<?>>map(c -> workers.get(c.run().kind())).toList();
        List<TensorFlowExecutor.Slot> slots = admission.reserve(
                batch.stream().<RunWorker<?>>map(Prepared::worker).toList(), caller, mine);
        List<Admitted> admitted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Prepared<?> p = batch.get(i);
            Run run = new Run(RandomIds.next(), p.worker().kind(), p.json(), p.seed(), RunStatus.RUNNING, null,
                    Instant.now(), null, sessionId);
            RunChannel channel = new RunChannel(run);
            live.put(run.id(), channel); // before the row exists, so no reader sees a running run without it
            admitted.add(new Admitted(p, channel, slots.get(i)));
        }
        return admitted;
    }

    /** The run keeps its slot (and its watchdog) until it has ended, even when its worker finishes elsewhere. */
    private <P> void submit(Prepared<P> prepared, RunChannel channel, TensorFlowExecutor.Slot slot) {
        Disposable watchdog = abandoned.watch(channel);
        try {
            slot.submitHeld(() -> execute(channel, prepared.worker(), prepared.params())
                    .whenComplete((ended, failure) -> watchdog.dispose()));
        } catch (RuntimeException e) {
            watchdog.dispose();
            throw e;
        }
    }

    private <P> P convert(JsonNode params, Class<P> type) {
        try {
            return json.treeToValue(params, type);
        } catch (JacksonException e) {
            throw InvalidFieldException.wrongType("params", e);
        }
    }

    /** Runs the worker and records its end; the stage completes once the run has ended. */
    private <P> CompletionStage<Void> execute(RunChannel channel, RunWorker<P> worker, P params) {
        EventMeter meter = new EventMeter(channel.runId(), worker.kind(), budgets.of(worker.kind()));
        var context = new RunContext() {
            @Override
            public String runId() {
                return channel.runId();
            }

            @Override
            public void emit(String type, Object data) {
                checkCancelled();
                String text = meter.admit(() -> json.writeValueAsString(data));   // null past the kind's budget
                if (text != null) {
                    publish(channel, new RunEvent(channel.nextId(), type, text, Instant.now()));
                }
            }

            @Override
            public void checkCancelled() {
                RunChannel.Stop stop = channel.stopRequest();
                if (stop != null) {
                    throw new RunCancelledException(stop.reason());
                }
            }
        };
        Object result;
        try {
            context.checkCancelled();
            result = worker.execute(params, context);
        } catch (RuntimeException e) {
            end(channel, meter, null, e);
            return CompletableFuture.completedFuture(null);
        }
        if (result instanceof CompletionStage<?> later) {
            // finished on another thread (the decoding loop): its end is written to the database off that thread
            return later.handleAsync((data, failure) -> {
                end(channel, meter, data, failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
                return null;
            }, ENDINGS);
        }
        end(channel, meter, result, null);
        return CompletableFuture.completedFuture(null);
    }

    /** Where runs whose worker finished on another thread record their end (blocking JDBC). */
    private static final Executor ENDINGS = task -> Schedulers.boundedElastic().schedule(task);

    /** Records how the run ended: done with {@code result}, or cancelled, interrupted or failed by {@code failure}. */
    private void end(RunChannel channel, EventMeter meter, Object result, Throwable failure) {
        try {
            if (failure == null) {
                finish(channel, RunEvent.DONE, meter.done(result, json), RunStatus.DONE);
            } else if (failure instanceof RunCancelledException e) {
                RunChannel.Stop stop = channel.stopRequest();
                if (stop != null && stop.interrupted()) {
                    finish(channel, RunEvent.ERROR, Map.of("message", stop.reason(), "status", "interrupted"),
                            RunStatus.INTERRUPTED);
                } else {
                    finish(channel, RunEvent.CANCELLED, Map.of("reason", e.getMessage()), RunStatus.CANCELLED);
                }
            } else {
                log.warn("Run {} failed", channel.runId(), failure);
                finish(channel, RunEvent.ERROR, Map.of("message", "The computation failed: " + failure.getMessage()),
                        RunStatus.ERROR);
            }
        } finally {
            live.remove(channel.runId());
        }
    }

    /** Viewers here see the event at once; the database gets it within the write window. */
    private void publish(RunChannel channel, RunEvent event) {
        channel.publish(event);
        writer.queue(channel, event);
    }

    private void finish(RunChannel channel, String type, Object data, RunStatus status) {
        RunEvent last = new RunEvent(channel.nextId(), type, json.writeValueAsString(data), Instant.now());
        writer.finish(channel, last, status);
        channel.publish(last);
        if (channel.unsaved()) {
            writer.saveLater(channel, status, instanceId);
        }
        metrics.finished(channel.run().kind(), status);
    }

    /** A history entry: the run and what its worker says about it. */
    public record Entry(Run run, RunSummary summary) {
    }

    /**
     * The session's runs, newest first: {@code limit} after skipping {@code offset}, only those of {@code kind}
     * unless it is null. Blocking (JDBC).
     */
    public List<Entry> history(String sessionId, String kind, long offset, int limit) {
        return store.history(sessionId, kind, offset, limit).stream()
                .map(run -> new Entry(run, summarize(run))).toList();
    }

    private RunSummary summarize(Run run) {
        RunWorker<?> worker = workers.get(run.kind());
        JsonNode result = run.status() == RunStatus.DONE ? run.result() : null;
        return worker == null ? new RunSummary(run.kind(), null) : summarize(worker, run.params(), result);
    }

    private <P> RunSummary summarize(RunWorker<P> worker, JsonNode params, JsonNode result) {
        try {
            return worker.summarize(convert(params, worker.paramsType()), result);
        } catch (InvalidFieldException e) {
            return new RunSummary(worker.kind(), null);
        }
    }

    /** Blocking (JDBC). */
    public Optional<Run> find(String id) {
        if (!RandomIds.isWellFormed(id)) {
            return Optional.empty();
        }
        RunChannel channel = live.get(id);
        if (channel != null && channel.unsaved()) {
            return Optional.of(channel.run());
        }
        Optional<RunBacklog.Pending> pending = backlog.find(id);
        return pending.isPresent() ? pending.map(RunBacklog.Pending::finished) : store.find(id);
    }

    /** The run; or 410 if retention removed it, 404 if no run ever had this id. Blocking (JDBC). */
    public Run get(String id) {
        return find(id).orElseThrow(() -> missing(id));
    }

    /**
     * Why there is no run with this id: a {@link dev.deepscope.errors.GoneException} (410, when and why) if
     * retention removed it, else {@link #unknown}'s 404. Blocking (JDBC).
     */
    public RuntimeException missing(String id) {
        return RandomIds.isWellFormed(id) ? tombstones.find(id).<RuntimeException>map(Expiry::gone).orElseGet(() -> unknown(id))
                : unknown(id);
    }

    /** The events of a run that finished while the database was away and is not written yet. */
    Optional<List<RunEvent>> unsavedEvents(String id) {
        return backlog.find(id).map(RunBacklog.Pending::events);
    }

    /** The channel of a run executing on this instance, if it is. */
    Optional<RunChannel> local(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /**
     * Asks a running run to stop between two steps, here or on the instance computing it; a finished run stays
     * as it is. Only the session that started it may: anyone else (a viewer of its share link) gets
     * {@link ForbiddenException}. Blocking (JDBC).
     */
    public Run cancel(String id, String sessionId) {
        RunChannel channel = live.get(id);
        Run run = channel != null ? channel.run() : get(id);
        if (!sessionId.equals(run.sessionId())) {
            throw new ForbiddenException("id", "Run " + id + " was started by another browser session; "
                    + "only that session may cancel it.");
        }
        if (channel != null) {
            channel.stop("Cancelled by request.", false);
        } else if (run.status() == RunStatus.RUNNING) {
            notifications.requestCancel(id);
        }
        return run;
    }

    /** The server is stopping: every run computing here ends as interrupted. */
    Collection<RunChannel> interruptAll() {
        live.values().forEach(c -> c.stop("The server stopped while this run was computing.", true));
        return live.values();
    }

    static NotFoundException unknown(String id) {
        return new NotFoundException("id", "No run has the id " + id + ".");
    }
}
