package dev.deepscope.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * One client floods, another classifies (against a running app; not a test, see README). The flooder, at
 * 127.0.0.1 with no cookie, keeps {@code connections} requests going at once — half {@code POST
 * /api/diffusion/sample}, half {@code generate} runs whose streams it reads to the end — and ignores
 * Retry-After (it tries again 100 ms after a 429). The other client, at 127.0.0.2 (its socket bound there; loopback answers all of 127/8),
 * classifies one digit after another with the CNN. Printed: the other client's classify p50/p95 idle and
 * under the flood, from the same run, and the flooder's started/refused counts by the problem's reason.
 *
 * <p>Arguments: base URL (default {@code http://127.0.0.1:8080}; the flooder and the other client must
 * reach the app over loopback), seconds idle and seconds of flood (default 15 and 30), connections
 * (default 8).
 */
public final class FloodBenchmark {

    private static final String PIXELS = Collections.nCopies(784, "0.1").toString();
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EVENTS = Pattern.compile("\"events\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int floodSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        HttpClient flooder = HttpClient.create().baseUrl(base).responseTimeout(Duration.ofMinutes(2));
        HttpClient other = HttpClient.create().baseUrl(base).responseTimeout(Duration.ofSeconds(30))
                .bindAddress(() -> new InetSocketAddress("127.0.0.2", 0));

        System.out.printf("Flood benchmark against %s: %d cores here; %d s idle, %d s of flood over %d connections%n",
                base, Runtime.getRuntime().availableProcessors(), idleSeconds, floodSeconds, connections);
        classify(other, 3_000_000_000L);   // warm up
        Latencies idle = classify(other, idleSeconds * 1_000_000_000L);
        System.out.println("other client, idle:        " + idle);

        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        for (int c = 0; c < connections; c++) {
            boolean sample = c % 2 == 0;
            int seed = c;
            threads.submit(() -> {
                for (int i = 0; flooding.get(); i++) {
                    Answer answer = sample ? sample(flooder, seed + i) : generate(flooder, seed + i);
                    count(counts, sample ? "sample" : "generate", answer);
                    if (answer.status() == 429) {
                        sleepQuietly(100);   // it ignores Retry-After (1 s), but does not spin
                    }
                }
            });
        }
        Thread.sleep(2000);   // the flood is under way
        Latencies flood = classify(other, floodSeconds * 1_000_000_000L);
        flooding.set(false);
        threads.shutdown();
        threads.awaitTermination(3, TimeUnit.MINUTES);
        System.out.println("other client, under flood: " + flood);
        System.out.printf("p95 under flood / idle: %.1f×%n", flood.p95() / idle.p95());
        System.out.println("flooder (127.0.0.1, no cookie):");
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf("  %-32s %6d%n", e.getKey(), e.getValue().get()));
        System.exit(0);
    }

    /** The other client's classify latencies, one request after another for {@code nanos}. */
    record Latencies(List<Double> millis, int refused) {
        double p(double q) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
        }

        double p95() {
            return p(0.95);
        }

        @Override
        public String toString() {
            return String.format("classify p50 %6.1f ms  p95 %6.1f ms  (%d answered, %d refused)",
                    p(0.5), p95(), millis.size(), refused);
        }
    }

    private static Latencies classify(HttpClient client, long nanos) {
        List<Double> millis = new ArrayList<>();
        int refused = 0;
        String body = "{\"model\":\"cnn\",\"pixels\":" + PIXELS + "}";
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            Answer answer = post(client, "/api/digits/classify", body);
            if (answer.status() == 200) {
                millis.add((System.nanoTime() - t0) / 1e6);
            } else {
                refused++;
                sleepQuietly(1000);   // the other client is polite: it waits as Retry-After says (1 s)
            }
        }
        return new Latencies(millis, refused);
    }

    private static Answer sample(HttpClient client, int seed) {
        return post(client, "/api/diffusion/sample",
                "{\"digit\":" + Math.floorMod(seed, 10) + ",\"steps\":200,\"count\":16,\"seed\":" + seed + "}");
    }

    /** Starts a generate run and reads its stream to the end (as the text page does). */
    private static Answer generate(HttpClient client, int seed) {
        Answer created = post(client, "/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"Call me Ishmael.\","
                + "\"maxTokens\":256,\"attention\":true,\"seed\":" + seed + "}}");
        Matcher events = EVENTS.matcher(created.body());
        if (created.status() == 201 && events.find()) {
            client.get().uri(events.group(1)).responseContent().then().block(Duration.ofMinutes(2));
        }
        return created;
    }

    record Answer(int status, String body) {
    }

    private static Answer post(HttpClient client, String path, String body) {
        try {
            return client.headers(h -> h.set("Content-Type", "application/json")).post().uri(path)
                    .send(ByteBufFlux.fromString(Mono.just(body)))
                    .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                            .map(text -> new Answer(r.status().code(), text)))
                    .block(Duration.ofMinutes(2));
        } catch (RuntimeException e) {
            return new Answer(-1, String.valueOf(e.getMessage()));
        }
    }

    private static void count(Map<String, AtomicInteger> counts, String what, Answer answer) {
        String outcome;
        if (answer.status() == 200 || answer.status() == 201) {
            outcome = "started";
        } else if (answer.status() == 429) {
            Matcher reason = REASON.matcher(answer.body());
            outcome = "refused " + (reason.find() ? reason.group(1) : "?");
        } else {
            outcome = "status " + answer.status();
        }
        counts.computeIfAbsent(what + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
