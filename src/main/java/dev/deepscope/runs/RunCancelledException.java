package dev.deepscope.runs;

/** Unwinds a worker whose run was cancelled; the run then ends with a {@code cancelled} event. */
public class RunCancelledException extends RuntimeException {

    public RunCancelledException(String reason) {
        super(reason, null, false, false);
    }
}
