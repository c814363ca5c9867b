package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.ServerBusyException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What one browser session may have computing: {@code deepscope.runs.per-session} runs at once, and one training
 * experiment at a time (a race of gradient descent against SGD, started together, counts as one). Within it, runs
 * pass the same {@link Admission} as every computation — the caller's share, then a slot per run, all or none —
 * and training runs take the training executor's slots, so people training never starve classification.
 */
@Component
class SessionQuota {

    private final Admission admission;
    private final RunMetrics metrics;
    private final DeepScopeProperties.Runs settings;

    SessionQuota(Admission admission, RunMetrics metrics, DeepScopeProperties properties) {
        this.admission = admission;
        this.metrics = metrics;
        this.settings = properties.runs();
    }

    /** The most runs one request may start together: no more than a session may have computing. */
    int maxBatch() {
        return settings.perSession();
    }

    /**
     * One slot per worker, in the same order, or a {@link ServerBusyException} (429) with nothing taken.
     * {@code computing} are the workers of the runs the caller's session already has in flight; the caller
     * makes the check and its registering of the new runs one atomic step.
     *
     * @throws InvalidFieldException ({@code runs}) if more training runs are asked for together than one client
     *                               may ever hold: waiting would not help
     */
    List<TensorFlowExecutor.Slot> reserve(List<RunWorker<?>> workers, Caller caller, List<RunWorker<?>> computing) {
        if (computing.size() + workers.size() > settings.perSession()) {
            metrics.refused("session");
            throw new ServerBusyException(settings.retryAfter(), "You already have " + computing.size()
                    + " runs computing" + (workers.size() > 1 ? " and these " + workers.size()
                    + " would make more than " + settings.perSession() : "") + "; wait for one to finish.",
                    ServerBusyException.OWN_RUNS);
        }
        long training = workers.stream().filter(RunWorker::trains).count();
        int trainingShare = admission.share(admission.training());
        if (training > trainingShare) {
            throw new InvalidFieldException("runs", "may hold at most " + trainingShare
                    + " training runs started together (one race), not " + training);
        }
        if (training > 0 && computing.stream().anyMatch(RunWorker::trains)) {
            metrics.refused("session");
            throw new ServerBusyException(settings.retryAfter(), "You already have a training run computing: one "
                    + "training experiment at a time (a race started together counts as one). Wait for it to "
                    + "finish or stop it.", ServerBusyException.OWN_RUNS);
        }
        List<TensorFlowExecutor> pools = workers.stream()
                .map(w -> w.trains() ? admission.training() : admission.quick()).toList();
        return admission.admit(caller, pools, workers.size() == 1 ? null : "These " + workers.size()
                + " runs start together or not at all, and not enough slots are free for all of them: none was "
                + "started. Try again in " + Math.max(1, settings.retryAfter().toSeconds()) + " s.");
    }
}
