package dev.deepscope.runs;

import java.util.List;
import org.springframework.stereotype.Component;

/** A session's runs, newest first, each with what its worker says about it (what was asked, what came out). */
@Component
public class RunHistory {

    /** A history entry: the run and its summary. */
    public record Entry(Run run, RunSummary summary) {
    }

    private final RunStore store;
    private final RunKinds kinds;

    RunHistory(RunStore store, RunKinds kinds) {
        this.store = store;
        this.kinds = kinds;
    }

    /** The kinds a history may be narrowed to: every kind of run, sorted by name. */
    public List<String> kinds() {
        return kinds.kinds();
    }

    /**
     * The session's runs, newest first: {@code limit} after skipping {@code offset}, only those of {@code kind}
     * unless it is null. Blocking (JDBC).
     */
    public List<Entry> of(String sessionId, String kind, long offset, int limit) {
        return store.history(sessionId, kind, offset, limit).stream()
                .map(run -> new Entry(run, kinds.summarize(run))).toList();
    }
}
