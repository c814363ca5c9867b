package dev.deepscope.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What the soak's clients saw, shared by all of them (thread-safe): answers per endpoint by class of status,
 * 429s by the problem's {@code reason}, how SSE streams ended, every run a client started (to audit at the
 * end), the finished runs others may replay, and the replayed bytes per kind.
 */
final class SoakTally {

    /** Columns of {@link #answers}: requests sent, 2xx, 429, other 4xx, 5xx, I/O failures (no status). */
    static final int SENT = 0, OK = 1, REFUSED = 2, CLIENT_ERROR = 3, SERVER_ERROR = 4, IO = 5;

    /** A run a client started (201): what it expects of the run's final status. */
    static final class StartedRun {
        final String id;
        final String kind;
        final String label;
        final SoakClient client;
        final SoakClient.Session session;
        /** The client read the run's {@code done} event: its final status must be {@code done}. */
        volatile boolean sawDone;
        volatile String finalStatus;

        StartedRun(String id, String kind, String label, SoakClient client, SoakClient.Session session) {
            this.id = id;
            this.kind = kind;
            this.label = label;
            this.client = client;
            this.session = session;
        }
    }

    /** A finished run anyone may replay (share links are public). */
    record Finished(String id, String kind, String label) {
    }

    private static final int KEEP_FINISHED = 200;

    final Map<String, AtomicLongArray> answers = new ConcurrentSkipListMap<>();
    final Map<String, AtomicLong> refusals = new ConcurrentSkipListMap<>();
    final AtomicLong streamsEnded = new AtomicLong();
    final AtomicLong streamsLeft = new AtomicLong();
    final AtomicLong streamsBroken = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final AtomicLong wrongLocalAddress = new AtomicLong();
    final Queue<StartedRun> started = new ConcurrentLinkedQueue<>();
    final Map<String, LongAccumulator> replayMaxBytes = new ConcurrentSkipListMap<>();
    final Map<String, AtomicLong> startedPerAddress = new ConcurrentSkipListMap<>();
    final Map<String, AtomicLong> refusedPerAddress = new ConcurrentSkipListMap<>();
    private final List<Finished> finished = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> trained = new ConcurrentHashMap<>();
    private final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();

    /** Counts one answer of {@code label}: status 0 means no answer (connection failed, timed out). */
    void answer(String label, String address, int status, String body) {
        AtomicLongArray row = answers.computeIfAbsent(label, l -> new AtomicLongArray(6));
        row.incrementAndGet(SENT);
        int column = status == 0 ? IO : status == 429 ? REFUSED : status >= 500 ? SERVER_ERROR
                : status >= 400 ? CLIENT_ERROR : OK;
        row.incrementAndGet(column);
        if (status == 429) {
            String reason = SoakClient.field(body, "reason");
            refusals.computeIfAbsent(reason == null ? "(none)" : reason, r -> new AtomicLong()).incrementAndGet();
            if (label.startsWith("run ")) {
                refusedPerAddress.computeIfAbsent(address, a -> new AtomicLong()).incrementAndGet();
            }
        }
        if ((status >= 500 || status == 0) && serverErrors.size() < 8) {
            serverErrors.add(label + " → " + (status == 0 ? "no answer" : status) + ": "
                    + (body == null ? "" : body.substring(0, Math.min(200, body.length()))));
        }
    }

    /** A stream that closed without a final event while the client still read it. */
    void broken(String what) {
        streamsBroken.incrementAndGet();
        if (serverErrors.size() < 8) {
            serverErrors.add("broken stream: " + what.substring(0, Math.min(300, what.length())));
        }
    }

    void started(StartedRun run, String address) {
        started.add(run);
        startedPerAddress.computeIfAbsent(address, a -> new AtomicLong()).incrementAndGet();
    }

    /** A run whose stream said {@code done}: replays may read it; a train run may be probed (landscape). */
    void finished(StartedRun run) {
        run.sawDone = true;
        synchronized (finished) {
            finished.add(new Finished(run.id, run.kind, run.label));
            if (finished.size() > KEEP_FINISHED) {
                finished.remove(0);
            }
        }
        if (run.kind.equals("train")) {
            trained.put("latest", run.id);
        }
    }

    /** A random finished run, or null before any finished. */
    Finished anyFinished(java.util.SplittableRandom random) {
        synchronized (finished) {
            return finished.isEmpty() ? null : finished.get(random.nextInt(finished.size()));
        }
    }

    /** The newest train run that finished, or null. */
    String latestTrained() {
        return trained.get("latest");
    }

    /** The size of one whole replay of a run of this label (its stored events, as SSE text). */
    void replayed(String label, long bytes) {
        replayMaxBytes.computeIfAbsent(label, k -> new LongAccumulator(Math::max, 0)).accumulate(bytes);
    }

    /** The first few 5xx and failed requests, to print. */
    List<String> failures() {
        return List.copyOf(serverErrors);
    }

    /** Sum of one column over all endpoints, or over those whose label starts with {@code prefix}. */
    long total(int column, String prefix) {
        return answers.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().get(column)).sum();
    }
}
