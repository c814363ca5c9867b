package dev.deepscope.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** The soak's summary tables, printed from what the clients saw and what the server reported. */
final class SoakReport {

    private final SoakTally tally;
    private final RunAudit.Outcome audit;
    private final ServerGauges.Snapshot before;
    private final ServerGauges.Snapshot after;
    private final long dirBefore;
    private final long dirAfter;
    private final ServerGauges.Budgets budgets;

    SoakReport(SoakTally tally, RunAudit.Outcome audit, ServerGauges.Snapshot before, ServerGauges.Snapshot after,
               long dirBefore, long dirAfter, ServerGauges.Budgets budgets) {
        this.tally = tally;
        this.audit = audit;
        this.before = before;
        this.after = after;
        this.dirBefore = dirBefore;
        this.dirAfter = dirAfter;
        this.budgets = budgets;
    }

    void requests() {
        System.out.printf("%n%-40s %8s %8s %8s %8s %6s %9s%n", "requests", "sent", "2xx/3xx", "429", "4xx", "5xx",
                "no answer");
        for (Map.Entry<String, AtomicLongArray> row : tally.answers.entrySet()) {
            AtomicLongArray c = row.getValue();
            System.out.printf("  %-38s %8d %8d %8d %8d %6d %9d%n", row.getKey(), c.get(SoakTally.SENT),
                    c.get(SoakTally.OK), c.get(SoakTally.REFUSED), c.get(SoakTally.CLIENT_ERROR),
                    c.get(SoakTally.SERVER_ERROR), c.get(SoakTally.IO));
        }
        System.out.printf("  %-38s %8d %8d %8d %8d %6d %9d%n", "total", tally.total(SoakTally.SENT, ""),
                tally.total(SoakTally.OK, ""), tally.total(SoakTally.REFUSED, ""),
                tally.total(SoakTally.CLIENT_ERROR, ""), tally.total(SoakTally.SERVER_ERROR, ""),
                tally.total(SoakTally.IO, ""));
        System.out.printf("  429 by reason: %s%n", tally.refusals);
        tally.failures().forEach(f -> System.out.println("  ! " + f));
    }

    void runs(int addresses) {
        long startedServer = Math.round(counter(after, "deepscope_runs_started_total")
                - counter(before, "deepscope_runs_started_total"));
        System.out.printf("%nruns    started %d (the server counted %d), refused (429) %d, lost %d %s%n",
                tally.started.size(), startedServer, tally.total(SoakTally.REFUSED, "run "), audit.lostTotal(),
                audit.lost().isEmpty() ? "" : audit.lost().toString());
        System.out.printf("        final status: %s%s%n", audit.statuses(),
                audit.expired() > 0 ? "  (410 = expired by retention, not counted as lost)" : "");
        audit.examples().forEach(e -> System.out.println("        lost: " + e));
        System.out.printf("streams read to their end %d, left mid-way %d, broken off %d%n", tally.streamsEnded.get(),
                tally.streamsLeft.get(), tally.streamsBroken.get());
        System.out.printf("sockets %d opened, %d not bound to their client's address%n", tally.connections.get(),
                tally.wrongLocalAddress.get());
        System.out.printf("per address (runs started / refused):");
        for (int a = 0; a < addresses; a++) {
            String address = "127.0.0." + (2 + a);
            System.out.printf(" %s %d/%d", address, count(tally.startedPerAddress, address),
                    count(tally.refusedPerAddress, address));
        }
        System.out.println();
    }

    /** The app's gauge of what its runs store (rows and events), see retention/StorageMetrics. */
    private static final String STORED_BYTES = "deepscope_storage_bytes";

    void storage(Path dataDir) {
        Map<String, Double> gaugesBefore = before.named(SoakReport::storageMetric);
        Map<String, Double> gaugesAfter = after.named(SoakReport::storageMetric);
        System.out.printf("%nstorage%n");
        gaugesAfter.forEach((series, value) -> System.out.printf("  %-50s %14s → %14s%n", series,
                number(gaugesBefore.get(series)), number(value)));
        // what the runs store (runs.stored_bytes), not the database files, which do not shrink after a removal
        String bytesSeries = gaugesAfter.containsKey(STORED_BYTES) ? STORED_BYTES : null;
        double storedBefore;
        double storedAfter;
        String source;
        if (bytesSeries != null) {
            storedBefore = gaugesBefore.getOrDefault(bytesSeries, Double.NaN);
            storedAfter = gaugesAfter.get(bytesSeries);
            source = bytesSeries;
        } else if (dirAfter >= 0) {
            storedBefore = dirBefore;
            storedAfter = dirAfter;
            source = "size of " + dataDir + " (no storage gauge in /actuator/prometheus)";
        } else {
            System.out.println("  stored bytes: n/a (no storage gauge in /actuator/prometheus; give --data-dir "
                    + "for a local app)");
            storedBefore = storedAfter = Double.NaN;
            source = null;
        }
        if (source != null) {
            System.out.printf("  stored bytes: %s → %s (%+.1f MB), from %s%n", mb(storedBefore), mb(storedAfter),
                    (storedAfter - storedBefore) / 1e6, source);
        }
        if (budgets.bytes().isEmpty()) {
            System.out.println("  event budgets: n/a (none exported, given with --budget, or in application.yml)");
        } else {
            Map<String, Long> done = new TreeMap<>();
            tally.started.forEach(r -> done.merge(r.kind, "done".equals(r.finalStatus) ? 1L : 0L, Long::sum));
            double bound = done.entrySet().stream().mapToDouble(e -> e.getValue()
                    * budgets.bytes().getOrDefault(e.getKey(), 0L)).sum();
            System.out.printf("  event budgets (%s): %s%n", budgets.source(), budgets.bytes());
            System.out.printf("  growth against the budgets of the %s done runs: %+.1f MB of at most %.1f MB%n",
                    done, (storedAfter - storedBefore) / 1e6, bound / 1e6);
        }
        System.out.println("  largest whole replay per run variant (SSE text; the stored events plus framing), "
                + "against its kind's budget:");
        tally.replayMaxBytes.forEach((label, max) -> {
            String kind = tally.started.stream().filter(r -> r.label.equals(label)).map(r -> r.kind).findFirst()
                    .orElse("?");
            Long budget = budgets.bytes().get(kind);
            System.out.printf("    %-28s %10s   budget %s%n", label, mb(max.get()),
                    budget == null ? "n/a" : mb(budget) + (max.get() > budget ? "  OVER" : ""));
        });
    }

    void heap(double peakDuringLoad) {
        System.out.printf("%nheap    before %s, peak during the load %s, after %s (5 s after the runs settled)%n",
                mb(before.heapBytes()), mb(peakDuringLoad), mb(after.heapBytes()));
    }

    /** Prints the verdict; true if the soak failed (a lost run, a 5xx or a broken stream). */
    boolean verdict() {
        long serverErrors = tally.total(SoakTally.SERVER_ERROR, "");
        int lost = audit.lostTotal();
        long broken = tally.streamsBroken.get();
        boolean failed = lost > 0 || serverErrors > 0 || broken > 0;
        System.out.printf("%n%s: lost runs %d, 5xx %d, broken streams %d%n", failed ? "FAIL" : "PASS", lost,
                serverErrors, broken);
        return failed;
    }

    private static boolean storageMetric(String name) {
        return name.startsWith("deepscope_") && (name.contains("storage") || name.contains("retention")
                || name.contains("budget") || name.contains("backlog"));
    }

    private static double counter(ServerGauges.Snapshot snapshot, String name) {
        return snapshot.sum(s -> s.equals(name) || s.startsWith(name + "{"));
    }

    private static long count(Map<String, java.util.concurrent.atomic.AtomicLong> counts, String key) {
        var c = counts.get(key);
        return c == null ? 0 : c.get();
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : bytes < 1e6 ? String.format("%.1f kB", bytes / 1e3)
                : String.format("%.1f MB", bytes / 1e6);
    }

    private static String number(Double value) {
        return value == null ? "—" : String.format("%.0f", value);
    }
}
