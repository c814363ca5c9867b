package dev.deepscope.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another client, on its own address and session, classifying one digit in a loop (POST
 * /api/digits/classify, what /digits sends while a stroke is drawn) at a person's pace, one request
 * every {@code periodMillis}: its latency, idle and under load, is what the soak's load costs others.
 */
final class ClassifyProbe implements Runnable {

    /** Latency percentiles (ms) of the answered (200) requests, and how many were refused or failed. */
    record Figures(int answered, int refused, int failed, double p50, double p95, double p99) {
        @Override
        public String toString() {
            return answered == 0 ? "no answers (" + refused + " × 429, " + failed + " other)"
                    : String.format("p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d answered, %d × 429, %d other)",
                    p50, p95, p99, answered, refused, failed);
        }
    }

    private final SoakClient client;
    private final SoakClient.Session session = new SoakClient.Session(true);
    private final String label;
    private final String body;
    private final long periodMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    ClassifyProbe(SoakClient client, String label, String model, String pixels, long periodMillis) {
        this.client = client;
        this.label = label;
        this.body = "{\"model\":\"" + model + "\",\"pixels\":" + pixels + "}";
        this.periodMillis = periodMillis;
    }

    @Override
    public void run() {
        while (running.get()) {
            long start = System.nanoTime();
            int status = client.post(label, "/api/digits/classify", body, session).status();
            long took = System.nanoTime() - start;
            if (status == 200) {
                nanos.add(took);
            } else if (status == 429) {
                refused.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            try {
                Thread.sleep(Math.max(0, periodMillis - took / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Runs the probe on its own thread for {@code millis} and returns its figures. */
    static Figures measure(ClassifyProbe probe, long millis) throws InterruptedException {
        Thread thread = probe.start();
        Thread.sleep(millis);
        return probe.stop(thread);
    }

    Thread start() {
        Thread thread = new Thread(this, "soak-probe");
        thread.start();
        return thread;
    }

    Figures stop(Thread thread) throws InterruptedException {
        running.set(false);
        thread.join();
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new Figures(sorted.size(), refused.get(), failed.get(), pct(sorted, 0.50), pct(sorted, 0.95),
                pct(sorted, 0.99));
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }
}
