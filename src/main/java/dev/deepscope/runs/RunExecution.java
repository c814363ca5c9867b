package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes an admitted run on its TensorFlow slot: each event its worker emits is published to the run's viewers
 * and written ({@link RunRecords}), within its kind's {@link EventBudgets budget} ({@link EventMeter}), and the run
 * ends with done, error, cancelled or interrupted. While it computes, {@link AbandonedRuns} watches that someone
 * still follows it; a stop request (its owner, the watchdog, the server stopping) ends it between two steps.
 */
@Component
class RunExecution {

    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    private final RunRecords records;
    private final LiveRuns live;
    private final AbandonedRuns abandoned;
    private final EventBudgets budgets;
    private final RunMetrics metrics;
    private final JsonMapper json;

    RunExecution(RunRecords records, LiveRuns live, AbandonedRuns abandoned, EventBudgets budgets, RunMetrics metrics,
                 JsonMapper json) {
        this.records = records;
        this.live = live;
        this.abandoned = abandoned;
        this.budgets = budgets;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * Hands the run to its slot's thread. The run must be live ({@link LiveRuns}); it leaves once it has ended.
     *
     * @throws RuntimeException if the executor refuses (it is shutting down); nothing was started
     */
    <P> void submit(RunKinds.Checked<P> run, RunChannel channel, TensorFlowExecutor.Slot slot) {
        Disposable watchdog = abandoned.watch(channel);
        try {
            // the run keeps its slot (and its watchdog) until it has ended, even when its worker finishes elsewhere
            slot.submitHeld(() -> execute(channel, run.worker(), run.params())
                    .whenComplete((ended, failure) -> watchdog.dispose()));
        } catch (RuntimeException e) {
            watchdog.dispose();
            throw e;
        }
        metrics.started(run.worker().kind());
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
                    records.publish(channel, new RunEvent(channel.nextId(), type, text, Instant.now()));
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
                    finish(channel, RunEvent.ERROR, new RunEndings.Interrupted(stop.reason()), RunStatus.INTERRUPTED);
                } else {
                    finish(channel, RunEvent.CANCELLED, new RunEndings.Cancelled(e.getMessage()), RunStatus.CANCELLED);
                }
            } else {
                log.warn("Run {} failed", channel.runId(), failure);
                finish(channel, RunEvent.ERROR, new RunEndings.Failed("The computation failed: " + failure.getMessage()),
                        RunStatus.ERROR);
            }
        } finally {
            live.remove(channel.runId());
        }
    }

    private void finish(RunChannel channel, String type, Object data, RunStatus status) {
        records.finish(channel, new RunEvent(channel.nextId(), type, json.writeValueAsString(data), Instant.now()),
                status);
        metrics.finished(channel.run().kind(), status);
    }
}
