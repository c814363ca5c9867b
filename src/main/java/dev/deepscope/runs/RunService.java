package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.system.RandomIds;
import dev.deepscope.web.InvalidFieldException;
import dev.deepscope.web.NotFoundException;
import dev.deepscope.web.ServerBusyException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one run lifecycle: validate → admit (a slot, and the session's own limit, or 429) → record →
 * execute on a TensorFlow thread, publishing each event to its viewers and writing it ({@link RunWriter})
 * → end with done, error or cancelled. If PostgreSQL is away the run still computes and streams; it is written once the database
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
    private final TensorFlowExecutor executor;
    private final TensorFlowExecutor trainingExecutor;
    private final JsonMapper json;
    private final DeepScopeProperties.Runs settings;
    private final String instanceId;
    private final AbandonedRuns abandoned;
    private final RunNotifications notifications;
    private final Map<String, RunChannel> live = new ConcurrentHashMap<>();

    RunService(List<RunWorker<?>> workers, RunStore store, RunBacklog backlog, RunWriter writer, RunMetrics metrics,
               TensorFlowExecutor executor, @Qualifier("trainingExecutor") TensorFlowExecutor trainingExecutor,
               JsonMapper json, DeepScopeProperties properties, Instance instance, RunNotifications notifications,
               AbandonedRuns abandoned) {
        this.notifications = notifications;
        this.abandoned = abandoned;
        this.workers = workers.stream().collect(Collectors.toMap(RunWorker::kind, Function.identity()));
        this.store = store;
        this.backlog = backlog;
        this.writer = writer;
        this.metrics = metrics;
        this.executor = executor;
        this.trainingExecutor = trainingExecutor;
        this.json = json;
        this.settings = properties.runs();
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

    /** Starts a run owned by {@code sessionId}. Blocking (JDBC): call from a bounded-elastic thread. */
    public Run create(String kind, JsonNode params, String sessionId) {
        RunWorker<?> worker = kind == null ? null : workers.get(kind);
        if (worker == null) {
            throw new InvalidFieldException("kind", "must be one of " + kinds());
        }
        return start(worker, params == null || params.isNull() ? json.createObjectNode() : params, sessionId);
    }

    /** The same kind and params (so the same seed) again: the same output. */
    public Run rerun(String id, String sessionId) {
        Run original = find(id).orElseThrow(() -> unknown(id));
        return create(original.kind(), original.params(), sessionId);
    }

    private <P> Run start(RunWorker<P> worker, JsonNode paramsJson, String sessionId) {
        if (!paramsJson.isObject()) {
            throw new InvalidFieldException("params", "must be a JSON object");
        }
        P params = convert(paramsJson, worker.paramsType());
        try {
            worker.validate(params);
        } catch (InvalidFieldException e) {
            throw e.within("params");
        }
        long mine = live.values().stream().filter(c -> sessionId.equals(c.run().sessionId())).count();
        if (mine >= settings.perSession()) {
            metrics.refused("session");
            throw new ServerBusyException(settings.retryAfter(),
                    "You already have " + mine + " runs computing; wait for one to finish.", ServerBusyException.OWN_RUNS);
        }
        // training has slots of its own, so people training never starve classification
        TensorFlowExecutor admission = worker.trains() ? trainingExecutor : executor;
        TensorFlowExecutor.Slot slot = admission.tryReserve().orElseThrow(() -> {
            metrics.refused("slots");
            return new ServerBusyException(settings.retryAfter());
        });
        Long seed = paramsJson.has("seed") && paramsJson.get("seed").canConvertToLong()
                ? paramsJson.get("seed").asLong() : null;
        Run run = new Run(RandomIds.next(), worker.kind(), paramsJson, seed, RunStatus.RUNNING, null, Instant.now(),
                null, sessionId);
        RunChannel channel = new RunChannel(run);
        live.put(run.id(), channel); // before the row exists, so no reader sees a running run without it
        try {
            store.insert(run, instanceId);
        } catch (DataAccessException e) {
            log.warn("Run {} starts without the database ({}); it is saved when the database is back",
                    run.id(), e.getMessage());
            channel.markUnsaved();
        }
        try {
            Disposable watchdog = abandoned.watch(channel);
            slot.submit(() -> {
                try {
                    return execute(channel, worker, params);
                } finally {
                    watchdog.dispose();
                }
            });
        } catch (RuntimeException e) {
            live.remove(run.id());
            slot.release();
            throw e;
        }
        metrics.started(worker.kind());
        return run;
    }

    private <P> P convert(JsonNode params, Class<P> type) {
        try {
            return json.treeToValue(params, type);
        } catch (JacksonException e) {
            throw InvalidFieldException.wrongType("params", e);
        }
    }

    private <P> Void execute(RunChannel channel, RunWorker<P> worker, P params) {
        var context = new RunContext() {
            @Override
            public String runId() {
                return channel.runId();
            }

            @Override
            public void emit(String type, Object data) {
                checkCancelled();
                publish(channel, new RunEvent(channel.nextId(), type, json.writeValueAsString(data), Instant.now()));
            }

            @Override
            public void checkCancelled() {
                RunChannel.Stop stop = channel.stopRequest();
                if (stop != null) {
                    throw new RunCancelledException(stop.reason());
                }
            }
        };
        try {
            context.checkCancelled();
            Object result = worker.execute(params, context);
            finish(channel, RunEvent.DONE, result, RunStatus.DONE);
        } catch (RunCancelledException e) {
            RunChannel.Stop stop = channel.stopRequest();
            if (stop != null && stop.interrupted()) {
                finish(channel, RunEvent.ERROR, Map.of("message", stop.reason(), "status", "interrupted"),
                        RunStatus.INTERRUPTED);
            } else {
                finish(channel, RunEvent.CANCELLED, Map.of("reason", e.getMessage()), RunStatus.CANCELLED);
            }
        } catch (RuntimeException e) {
            log.warn("Run {} failed", channel.runId(), e);
            finish(channel, RunEvent.ERROR, Map.of("message", "The computation failed: " + e.getMessage()),
                    RunStatus.ERROR);
        } finally {
            live.remove(channel.runId());
        }
        return null;
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

    /** The session's runs, newest first: {@code limit} after skipping {@code offset}. Blocking (JDBC). */
    public List<Entry> history(String sessionId, long offset, int limit) {
        return store.history(sessionId, offset, limit).stream().map(run -> new Entry(run, summarize(run))).toList();
    }

    private RunSummary summarize(Run run) {
        RunWorker<?> worker = workers.get(run.kind());
        return worker == null ? new RunSummary(run.kind(), null) : summarize(worker, run.params());
    }

    private <P> RunSummary summarize(RunWorker<P> worker, JsonNode params) {
        try {
            return worker.summarize(convert(params, worker.paramsType()));
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

    /** The events of a run that finished while the database was away and is not written yet. */
    Optional<List<RunEvent>> unsavedEvents(String id) {
        return backlog.find(id).map(RunBacklog.Pending::events);
    }

    /** The channel of a run executing on this instance, if it is. */
    Optional<RunChannel> local(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /**
     * Asks a running run to stop between two steps, here or on the instance computing it;
     * a finished run stays as it is. Blocking (JDBC).
     */
    public Run cancel(String id) {
        RunChannel channel = live.get(id);
        if (channel != null) {
            channel.stop("Cancelled by request.", false);
            return channel.run();
        }
        Run run = find(id).orElseThrow(() -> unknown(id));
        if (run.status() == RunStatus.RUNNING) {
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
