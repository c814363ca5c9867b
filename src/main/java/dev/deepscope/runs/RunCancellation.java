package dev.deepscope.runs;

import dev.deepscope.errors.ForbiddenException;
import org.springframework.stereotype.Component;

/**
 * Stopping a run on request: its owner asks, here or on another instance, and the run stops between two steps.
 * A request for a run computing elsewhere travels as a notification ({@link RunNotifications}) to the instance
 * computing it. One mechanism for every stop: {@link RunChannel#stop}, which the run's worker notices at its
 * next {@link RunContext#checkCancelled}.
 */
@Component
public class RunCancellation {

    static final String BY_REQUEST = "Cancelled by request.";

    private final LiveRuns live;
    private final RunRecords records;
    private final RunNotifications notifications;

    RunCancellation(LiveRuns live, RunRecords records, RunNotifications notifications) {
        this.live = live;
        this.records = records;
        this.notifications = notifications;
        notifications.cancellations().subscribe(id -> live.get(id).ifPresent(c -> c.stop(BY_REQUEST, false)));
    }

    /**
     * Asks a running run to stop, here or on the instance computing it; a finished run stays as it is. Only
     * the session that started it may: anyone else (a viewer of its share link) gets {@link ForbiddenException}.
     * 404 / 410 as {@link RunRecords#get}. Blocking (JDBC).
     */
    public Run cancel(String id, String sessionId) {
        RunChannel channel = live.get(id).orElse(null);
        Run run = channel != null ? channel.run() : records.get(id);
        if (!sessionId.equals(run.sessionId())) {
            throw new ForbiddenException("id", "Run " + id + " was started by another browser session; "
                    + "only that session may cancel it.");
        }
        if (channel != null) {
            channel.stop(BY_REQUEST, false);
        } else if (run.status() == RunStatus.RUNNING) {
            notifications.requestCancel(id);
        }
        return run;
    }
}
