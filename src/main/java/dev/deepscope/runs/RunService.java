package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.web.InvalidFieldException;
import dev.deepscope.web.NotFoundException;
import dev.deepscope.web.ServerBusyException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one run lifecycle: validate → admit (a slot or 429) → record → execute on a TensorFlow thread,
 * persisting each event before publishing it → end with done, error or cancelled.
 * A run is watched: when its last viewer leaves it is cancelled after a grace period that allows a
 * reconnect, and a run nobody opens is cancelled after a timeout.
 */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final Map<String, RunWorker<?>> workers;
    private final RunStore store;
    private final TensorFlowExecutor executor;
    private final TensorFlowExecutor trainingExecutor;
    private final JsonMapper json;
    private final DeepScopeProperties.Runs settings;
    private final Map<String, RunChannel> live = new ConcurrentHashMap<>();

    RunService(List<RunWorker<?>> workers, RunStore store, TensorFlowExecutor executor,
               @Qualifier("trainingExecutor") TensorFlowExecutor trainingExecutor, JsonMapper json,
               DeepScopeProperties properties) {
        this.workers = workers.stream().collect(Collectors.toMap(RunWorker::kind, Function.identity()));
        this.store = store;
        this.executor = executor;
        this.trainingExecutor = trainingExecutor;
        this.json = json;
        this.settings = properties.runs();
        int interrupted = store.markInterrupted(json.writeValueAsString(
                Map.of("message", "The server stopped while this run was computing.", "status", "interrupted")));
        if (interrupted > 0) {
            log.info("Marked {} runs interrupted by the last shutdown", interrupted);
        }
    }

    public List<String> kinds() {
        return workers.keySet().stream().sorted().toList();
    }

    /** Blocking (JDBC): call from a bounded-elastic thread. */
    public Run create(String kind, JsonNode params) {
        RunWorker<?> worker = kind == null ? null : workers.get(kind);
        if (worker == null) {
            throw new InvalidFieldException("kind", "must be one of " + kinds());
        }
        return start(worker, params == null || params.isNull() ? json.createObjectNode() : params);
    }

    private <P> Run start(RunWorker<P> worker, JsonNode paramsJson) {
        if (!paramsJson.isObject()) {
            throw new InvalidFieldException("params", "must be a JSON object");
        }
        P params = convert(paramsJson, worker.paramsType());
        try {
            worker.validate(params);
        } catch (InvalidFieldException e) {
            throw e.within("params");
        }
        TensorFlowExecutor.Slot slot = (worker.trains() ? trainingExecutor : executor).tryReserve()
                .orElseThrow(() -> new ServerBusyException(settings.retryAfter()));
        Long seed = paramsJson.has("seed") && paramsJson.get("seed").canConvertToLong()
                ? paramsJson.get("seed").asLong() : null;
        Run run = new Run(RunIds.next(), worker.kind(), paramsJson, seed, RunStatus.RUNNING, null, Instant.now(), null);
        RunChannel channel = new RunChannel(run.id());
        try {
            live.put(run.id(), channel); // before the row exists, so no reader sees a running run without it
            store.insert(run);
            slot.submit(() -> execute(channel, worker, params));
        } catch (RuntimeException e) {
            live.remove(run.id());
            slot.release();
            throw e;
        }
        Mono.delay(settings.unwatchedTimeout()).subscribe(t -> {
            if (!channel.everWatched()) {
                channel.cancel("Nobody opened this run's stream.");
            }
        });
        return run;
    }

    private <P> P convert(JsonNode params, Class<P> type) {
        try {
            return json.treeToValue(params, type);
        } catch (JacksonException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining());
            throw new InvalidFieldException("params" + path, "has the wrong type: " + e.getOriginalMessage());
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
                RunEvent event = new RunEvent(channel.nextId(), type, json.writeValueAsString(data));
                store.append(channel.runId(), event);
                channel.publish(event);
            }

            @Override
            public void checkCancelled() {
                String reason = channel.cancelReason();
                if (reason != null) {
                    throw new RunCancelledException(reason);
                }
            }
        };
        try {
            context.checkCancelled();
            Object result = worker.execute(params, context);
            finish(channel, RunEvent.DONE, result, RunStatus.DONE);
        } catch (RunCancelledException e) {
            finish(channel, RunEvent.CANCELLED, Map.of("reason", e.getMessage()), RunStatus.CANCELLED);
        } catch (RuntimeException e) {
            log.warn("Run {} failed", channel.runId(), e);
            finish(channel, RunEvent.ERROR, Map.of("message", "The computation failed: " + e.getMessage()),
                    RunStatus.ERROR);
        } finally {
            live.remove(channel.runId());
        }
        return null;
    }

    private void finish(RunChannel channel, String type, Object data, RunStatus status) {
        RunEvent last = new RunEvent(channel.nextId(), type, json.writeValueAsString(data));
        store.finish(channel.runId(), last, status);
        channel.publish(last);
    }

    /** Blocking (JDBC). */
    public Optional<Run> find(String id) {
        return RunIds.isWellFormed(id) ? store.find(id) : Optional.empty();
    }

    /**
     * The run's events after {@code afterId}: live from this instance while it executes, otherwise the
     * recorded ones (the identical sequence, without recomputation).
     */
    public Flux<RunEvent> events(String id, long afterId) {
        return Mono.fromCallable(() -> find(id).orElseThrow(() -> unknown(id)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(run -> {
                    RunChannel channel = live.get(id);
                    if (channel != null) {
                        return channel.watch(afterId, () -> cancelUnlessReconnected(channel));
                    }
                    return Mono.fromCallable(() -> store.events(id, afterId))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMapIterable(Function.identity());
                });
    }

    private void cancelUnlessReconnected(RunChannel channel) {
        Mono.delay(settings.reconnectGrace()).subscribe(t -> {
            if (!channel.watched()) {
                channel.cancel("Every viewer disconnected.");
            }
        });
    }

    /** Asks a running run to stop between two steps; a finished run stays as it is. Blocking (JDBC). */
    public Run cancel(String id) {
        Run run = find(id).orElseThrow(() -> unknown(id));
        RunChannel channel = live.get(id);
        if (channel != null) {
            channel.cancel("Cancelled by request.");
        }
        return run;
    }

    public int active() {
        return live.size();
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("id", "No run has the id " + id + ".");
    }
}
