package dev.deepscope.runs;

import tools.jackson.databind.JsonNode;

/**
 * What a kind of run computes. A worker knows nothing of HTTP: it reads typed params, reports through
 * {@link RunContext#emit} and returns the data of its final {@code done} event.
 *
 * @param <P> the run's params, converted from JSON
 */
public interface RunWorker<P> {

    String kind();

    Class<P> paramsType();

    /** Rejects bad params with {@link dev.deepscope.errors.InvalidFieldException} naming the field. */
    void validate(P params);

    /**
     * Training runs hold their slot for minutes. They are admitted to the training executor, which has its
     * own slots and threads, so people training never take the slots that quick runs (classify) need.
     */
    default boolean trains() {
        return false;
    }

    /**
     * The valid params with every default written out: what the run computes with, what is stored and what a
     * rerun repeats; params that draw random numbers implement {@link Seeded}, and this fills in their seed. The
     * same params for records whose constructor fills in the defaults.
     */
    default P withDefaults(P params) {
        return params;
    }

    /**
     * Runs on a TensorFlow thread and returns the data of the {@code done} event. Long work calls
     * {@link RunContext#checkCancelled()} between steps. Work finished by another thread (a generate run's text,
     * written by the shared decoding loop, which emits through {@code context}) returns a
     * {@link java.util.concurrent.CompletionStage} of that data instead: the TensorFlow thread is free at once,
     * and the run ends — and gives back its slot — when the stage completes (a {@link RunCancelledException}
     * ends it as cancelled).
     */
    Object execute(P params, RunContext context);

    /**
     * What the history panel shows for a run with these params: what was asked and, once {@code result} (the
     * data of its {@code done} event) is there, what came out. {@code result} is null while the run computes and
     * for a run that failed or was cancelled.
     */
    default RunSummary summarize(P params, JsonNode result) {
        return new RunSummary(kind(), null);
    }
}
