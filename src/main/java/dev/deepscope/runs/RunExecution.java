package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
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
            slot.submit(() -> {
                try {
                    return execute(channel, run.worker(), run.params());
                } finally {
                    watchdog.dispose();
                }
            });
        } catch (RuntimeException e) {
            watchdog.dispose();
            throw e;
        }
        metrics.started(run.worker().kind());
    }

    private <P> Void execute(RunChannel channel, RunWorker<P> worker, P params) {
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
        try {
            context.checkCancelled();
            Object result = worker.execute(params, context);
            finish(channel, RunEvent.DONE, meter.done(result, json), RunStatus.DONE);
        } catch (RunCancelledException e) {
            RunChannel.Stop stop = channel.stopRequest();
            if (stop != null && stop.interrupted()) {
                finish(channel, RunEvent.ERROR, new RunEndings.Interrupted(stop.reason()), RunStatus.INTERRUPTED);
            } else {
                finish(channel, RunEvent.CANCELLED, new RunEndings.Cancelled(e.getMessage()), RunStatus.CANCELLED);
            }
        } catch (RuntimeException e) {
            log.warn("Run {} failed", channel.runId(), e);
            finish(channel, RunEvent.ERROR, new RunEndings.Failed("The computation failed: " + e.getMessage()),
                    RunStatus.ERROR);
        } finally {
            live.remove(channel.runId());
        }
        return null;
    }

    private void finish(RunChannel channel, String type, Object data, RunStatus status) {
        records.finish(channel, new RunEvent(channel.nextId(), type, json.writeValueAsString(data), Instant.now()),
                status);
        metrics.finished(channel.run().kind(), status);
    }
}
