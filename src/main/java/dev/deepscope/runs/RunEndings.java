package dev.deepscope.runs;

/**
 * The data of a run's last event when it did not finish with {@code done}: {@code cancelled} {reason}, or
 * {@code error} {message} — with {@code status: "interrupted"} when the server stopped under it.
 */
final class RunEndings {

    /** Why a run stopped when the server stopped while it computed. */
    static final String SERVER_STOPPED = "The server stopped while this run was computing.";

    private RunEndings() {
    }

    /** {@code cancelled}: by its owner, or because nobody watched it. */
    record Cancelled(String reason) {
    }

    /** {@code error}: the computation threw. */
    record Failed(String message) {
    }

    /** {@code error} with {@code status: "interrupted"}: the server stopped; a rerun would finish it. */
    record Interrupted(String message, String status) {

        Interrupted(String message) {
            this(message, "interrupted");
        }
    }
}
