package dev.deepscope.bench;

import dev.deepscope.bench.SoakTally.StartedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * After the load: every run a client started (201) is looked up (GET /api/runs/{id}, by the client and
 * session that started it) until it is no longer running or {@code settleMillis} have passed. A run is
 * lost if it is not found (404), still running at the end, or ended otherwise than done/cancelled (or
 * cancelled although its client read its {@code done}).
 */
final class RunAudit {

    /** Final statuses counted, and the lost runs by cause with a few example ids. */
    record Outcome(Map<String, Integer> statuses, Map<String, Integer> lost, int expired, List<String> examples) {
        int lostTotal() {
            return lost.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private RunAudit() {
    }

    static Outcome check(List<StartedRun> runs, long settleMillis) throws Exception {
        long deadline = System.nanoTime() + settleMillis * 1_000_000;
        List<StartedRun> pending = new ArrayList<>(runs);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            while (true) {
                List<Future<?>> looks = new ArrayList<>();
                for (StartedRun run : pending) {
                    looks.add(pool.submit(() -> look(run)));
                }
                for (Future<?> look : looks) {
                    look.get();
                }
                pending = pending.stream().filter(r -> "running".equals(r.finalStatus)).toList();
                if (pending.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(2000);
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> lost = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int expired = 0;
        for (StartedRun run : runs) {
            String status = run.finalStatus;
            statuses.merge(status, 1, Integer::sum);
            String cause = switch (status) {
                case "done" -> null;
                case "cancelled" -> run.sawDone ? "cancelled after its done event" : null;
                case "running" -> "still running";
                case "404" -> "not found (404)";
                case "410" -> null;
                default -> "ended " + status;
            };
            if (status.equals("410")) {
                expired++;
            }
            if (cause != null) {
                lost.merge(cause, 1, Integer::sum);
                if (examples.size() < 10) {
                    examples.add(run.id + " (" + run.label + ", " + cause + ")");
                }
            }
        }
        return new Outcome(statuses, lost, expired, examples);
    }

    private static void look(StartedRun run) {
        SoakClient.Reply reply = run.client.get("audit GET /api/runs/{id}", "/api/runs/" + run.id, run.session);
        run.finalStatus = reply.status() == 200 ? String.valueOf(SoakClient.field(reply.body(), "status"))
                : String.valueOf(reply.status());
    }
}
