package dev.deepscope.runs;

/** What a running worker may do: emit events and notice that it was cancelled. */
public interface RunContext {

    /** The run's id, for results that outlive the stream (e.g. the network a training run produced). */
    String runId();

    /** Emits an event whose data is serialised to JSON; throws {@link RunCancelledException} if cancelled. */
    void emit(String type, Object data);

    /** Throws {@link RunCancelledException} if the run was cancelled (by DELETE, or nobody is watching). */
    void checkCancelled();
}
