package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.system.RandomIds;
import dev.deepscope.errors.InvalidFieldException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Starting runs, the one run lifecycle: check the params ({@link RunKinds}) → admit (the session's quota and a
 * slot each, {@link SessionQuota}, or 429; several runs asked for together are admitted as one) → record
 * ({@link RunRecords}) → execute ({@link RunExecution}), which ends the run with done, error or cancelled.
 * Reading runs is {@link RunRecords}, stopping them {@link RunCancellation}, the history {@link RunHistory}.
 */
@Service
public class RunService {

    private final RunKinds kinds;
    private final SessionQuota quota;
    private final LiveRuns live;
    private final RunRecords records;
    private final RunExecution execution;

    RunService(RunKinds kinds, SessionQuota quota, LiveRuns live, RunRecords records, RunExecution execution) {
        this.kinds = kinds;
        this.quota = quota;
        this.live = live;
        this.records = records;
        this.execution = execution;
    }

    /** What to start: a kind and its params (JSON, converted and validated by the kind's worker). */
    public record Request(String kind, JsonNode params) {
    }

    /** Starts a run owned by the caller's session. Blocking (JDBC): call from a bounded-elastic thread. */
    public Run create(String kind, JsonNode params, Caller caller) {
        return start(List.of(kinds.check(kind, params)), caller).get(0);
    }

    /**
     * Starts several runs as one (a race of gradient descent against SGD): every one is validated, then all
     * are admitted together or none is (429), so a full server never leaves half a comparison running.
     * A bad one is named by its place, e.g. {@code runs[1].params.batchSize}. Blocking (JDBC).
     */
    public List<Run> createAll(List<Request> requests, Caller caller) {
        if (requests == null || requests.isEmpty() || requests.size() > quota.maxBatch()) {
            throw new InvalidFieldException("runs", "must list 1.." + quota.maxBatch()
                    + " runs (the most one session may have computing at once)");
        }
        List<RunKinds.Checked<?>> batch = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i) == null ? new Request(null, null) : requests.get(i);
            try {
                batch.add(kinds.check(request.kind(), request.params()));
            } catch (InvalidFieldException e) {
                throw e.within("runs[" + i + "]");
            }
        }
        return start(batch, caller);
    }

    /** The same kind and stored params (so the same seed) again: the same output. 404 / 410 as {@link RunRecords#get}. */
    public Run rerun(String id, Caller caller) {
        Run original = records.get(id);
        return create(original.kind(), original.params(), caller);
    }

    /** A run admitted with its slot, registered as live, not yet recorded or started. */
    private record Admitted(RunKinds.Checked<?> checked, RunChannel channel, TensorFlowExecutor.Slot slot) {
    }

    private List<Run> start(List<RunKinds.Checked<?>> batch, Caller caller) {
        List<Admitted> admitted = admit(batch, caller);
        admitted.forEach(a -> records.started(a.channel()));
        for (int i = 0; i < admitted.size(); i++) {
            Admitted a = admitted.get(i);
            try {
                execution.submit(a.checked(), a.channel(), a.slot());
            } catch (RuntimeException e) {
                // the executor refused (it is shutting down): give back what was not started
                for (Admitted rest : admitted.subList(i, admitted.size())) {
                    live.remove(rest.channel().runId());
                    rest.slot().release();
                }
                throw e;
            }
        }
        return admitted.stream().map(a -> a.channel().run()).toList();
    }

    /**
     * Admits the whole batch as one step ({@link SessionQuota}) and registers its runs as live. Synchronized
     * so two requests of one session cannot both pass the session check before either's runs are counted.
     */
    private synchronized List<Admitted> admit(List<RunKinds.Checked<?>> batch, Caller caller) {
        String sessionId = caller.session();
        List<RunWorker<?>> computing = live.kindsOf(sessionId).stream().<RunWorker<?>>map(kinds::worker).toList();
        List<TensorFlowExecutor.Slot> slots = quota.reserve(
                batch.stream().<RunWorker<?>>map(RunKinds.Checked::worker).toList(), caller, computing);
        List<Admitted> admitted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            RunKinds.Checked<?> checked = batch.get(i);
            Run run = new Run(RandomIds.next(), checked.worker().kind(), checked.json(), checked.seed(),
                    RunStatus.RUNNING, null, Instant.now(), null, sessionId);
            RunChannel channel = new RunChannel(run);
            live.add(channel); // before the row exists, so no reader sees a running run without it
            admitted.add(new Admitted(checked, channel, slots.get(i)));
        }
        return admitted;
    }
}
