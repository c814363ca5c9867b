package dev.deepscope.runs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The runs computing on this instance, by id: a run is here from its admission until its last event is
 * written, so its viewers here read its {@link RunChannel} and never wait for the database. Bounded by the
 * admission slots (a run is added only with a slot).
 */
@Component
class LiveRuns {

    private final Map<String, RunChannel> live = new ConcurrentHashMap<>();

    LiveRuns(RunMetrics metrics) {
        metrics.watchActive(live);
    }

    void add(RunChannel channel) {
        live.put(channel.runId(), channel);
    }

    void remove(String id) {
        live.remove(id);
    }

    /** The channel of a run executing on this instance, if it is. */
    Optional<RunChannel> get(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /** The kinds of the runs {@code sessionId} has computing here. */
    List<String> kindsOf(String sessionId) {
        return live.values().stream().filter(c -> sessionId.equals(c.run().sessionId())).map(c -> c.run().kind())
                .toList();
    }

    /**
     * The server is stopping: every run computing here ends as interrupted. Returns a live view of the runs
     * still here, empty once each has written its ending.
     */
    Collection<RunChannel> interruptAll() {
        live.values().forEach(c -> c.stop(RunEndings.SERVER_STOPPED, true));
        return live.values();
    }
}
