package dev.deepscope.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * What durability costs the embedded PostgreSQL (not a test; see README): event batches as RunStore
 * appends them (asynchronous commit) and runs' final commits (synchronous), on a server with zonky's
 * defaults (fsync and synchronous commit off) and on one with both on, as the app runs it.
 * Arguments: runs writing at once, batches per run, events per batch, final commits
 * (default {@code 4 500 10 200}).
 */
public final class DurabilityCost {

    private static final String DATA = "{\"n\":1,\"values\":" + Collections.nCopies(40, "0.123") + "}";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int finals = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        for (boolean durable : new boolean[] {false, true}) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(false);
            if (durable) {
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            try (EmbeddedPostgres postgres = builder.start()) {
                DataSource db = postgres.getPostgresDatabase();
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    s.execute("create table run_events (run_id text, seq bigint, type text, data json, "
                            + "created_at timestamptz, primary key (run_id, seq))");
                }
                String mode = durable ? "fsync on, final commits synchronous" : "zonky defaults (fsync off)";
                ExecutorService pool = Executors.newFixedThreadPool(runs);
                List<Future<List<Long>>> writers = new ArrayList<>();
                long start = System.nanoTime();
                for (int r = 0; r < runs; r++) {
                    String runId = "run" + r;
                    writers.add(pool.submit(() -> write(db, runId, batches, perBatch, false)));
                }
                List<Long> batchNanos = new ArrayList<>();
                for (Future<List<Long>> w : writers) {
                    batchNanos.addAll(w.get());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                pool.shutdown();
                List<Long> finalNanos = write(db, "final", finals, perBatch, true);
                System.out.printf("%s: %d event batches of %d from %d runs at once: %.0f events/s, batch p50 %.2f ms"
                                + " p99 %.2f ms; final commits p50 %.2f ms p99 %.2f ms%n", mode, runs * batches, perBatch,
                        runs, runs * batches * perBatch / seconds, ms(batchNanos, 0.5), ms(batchNanos, 0.99),
                        ms(finalNanos, 0.5), ms(finalNanos, 0.99));
            }
        }
    }

    /** Transactions of {@code perBatch} events each, committed as RunStore does; their durations in ns. */
    private static List<Long> write(DataSource db, String runId, int batches, int perBatch, boolean synchronous)
            throws Exception {
        List<Long> nanos = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            String rows = String.join(", ", Collections.nCopies(perBatch, "(?, ?, ?, ?::json, ?)"));
            long seq = 0;
            for (int b = 0; b < batches; b++) {
                long start = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("set local synchronous_commit = " + (synchronous ? "on" : "off"));
                }
                try (PreparedStatement insert = c.prepareStatement("insert into run_events values " + rows)) {
                    int i = 1;
                    for (int e = 0; e < perBatch; e++) {
                        insert.setString(i++, runId);
                        insert.setLong(i++, ++seq);
                        insert.setString(i++, "tick");
                        insert.setString(i++, DATA);
                        insert.setTimestamp(i++, Timestamp.from(Instant.now()));
                    }
                    insert.executeUpdate();
                }
                c.commit();
                nanos.add(System.nanoTime() - start);
            }
        }
        return nanos;
    }

    private static double ms(List<Long> nanos, double quantile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }
}
