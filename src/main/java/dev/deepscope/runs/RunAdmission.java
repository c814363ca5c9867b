package dev.deepscope.runs;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.ServerBusyException;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.web.Caller;
import dev.deepscope.web.ClientShares;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Who may start: the session's own limits ({@code deepscope.runs.per-session} runs computing at once, and one
 * training experiment at a time), then the caller's share ({@link ClientShares}: its address and its session
 * each hold at most a few slots), then a slot per run — training runs on the training executor's slots, so
 * people training never starve classification.
 *
 * <p>Several runs asked for together (a race of gradient descent against SGD) are admitted as one, and a race
 * is the one training experiment that holds two training slots: each executor's share is taken in one
 * try-acquire, and on any refusal every slot taken is given back, so a full server never starts half of a
 * comparison.
 */
@Component
class RunAdmission {

    private final TensorFlowExecutor executor;
    private final TensorFlowExecutor trainingExecutor;
    private final ClientShares shares;
    private final RunMetrics metrics;
    private final DeepScopeProperties.Runs settings;

    RunAdmission(TensorFlowExecutor executor, @Qualifier("trainingExecutor") TensorFlowExecutor trainingExecutor,
                 ClientShares shares, RunMetrics metrics, DeepScopeProperties properties) {
        this.executor = executor;
        this.trainingExecutor = trainingExecutor;
        this.shares = shares;
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
        if (training > shares.share(trainingExecutor)) {
            throw new InvalidFieldException("runs", "may hold at most " + shares.share(trainingExecutor)
                    + " training runs started together (one race), not " + training);
        }
        if (training > 0 && computing.stream().anyMatch(RunWorker::trains)) {
            metrics.refused("session");
            throw new ServerBusyException(settings.retryAfter(), "You already have a training run computing: one "
                    + "training experiment at a time (a race started together counts as one). Wait for it to "
                    + "finish or stop it.", ServerBusyException.OWN_RUNS);
        }
        Map<TensorFlowExecutor, Integer> needed = new IdentityHashMap<>();
        workers.forEach(w -> needed.merge(executorOf(w), 1, Integer::sum));
        Map<TensorFlowExecutor, Deque<TensorFlowExecutor.Slot>> taken = new IdentityHashMap<>();
        for (Map.Entry<TensorFlowExecutor, Integer> need : needed.entrySet()) {
            Optional<List<TensorFlowExecutor.Slot>> slots;
            try {
                slots = shares.reserve(caller, need.getKey(), need.getValue());
            } catch (ServerBusyException ownShare) {
                giveBack(taken);
                throw ownShare;
            }
            if (slots.isEmpty()) {
                giveBack(taken);
                metrics.refused("slots");
                throw busy(workers.size());
            }
            taken.put(need.getKey(), new ArrayDeque<>(slots.get()));
        }
        List<TensorFlowExecutor.Slot> inOrder = new ArrayList<>();
        workers.forEach(w -> inOrder.add(taken.get(executorOf(w)).pop()));
        return inOrder;
    }

    private static void giveBack(Map<TensorFlowExecutor, Deque<TensorFlowExecutor.Slot>> taken) {
        taken.values().forEach(held -> held.forEach(TensorFlowExecutor.Slot::release));
    }

    private TensorFlowExecutor executorOf(RunWorker<?> worker) {
        return worker.trains() ? trainingExecutor : executor;
    }

    private ServerBusyException busy(int runs) {
        if (runs == 1) {
            return new ServerBusyException(settings.retryAfter());
        }
        return new ServerBusyException(settings.retryAfter(), "These " + runs + " runs start together or not at all, "
                + "and not enough slots are free for all of them: none was started. Try again in "
                + Math.max(1, settings.retryAfter().toSeconds()) + " s.");
    }
}
