package dev.deepscope.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load against a running app (not a test; see README):
 * <ol>
 *   <li>N clients at once, each its own browser session, start a classify run and read its stream to the
 *       end: runs started, refused (429), 5xx (must be 0), p50/p99 time to first event;</li>
 *   <li>M idle viewers on one long run: how many one instance holds, and the heap it costs.</li>
 * </ol>
 * Arguments: base URL, N, M, and the long run's kind and params JSON
 * (default {@code http://localhost:8080 200 2000 train {"hidden":[16],"steps":20000,...}}).
 * The per-address rate limit applies to this one address: raise {@code deepscope.rate-limit.per-address}
 * on the app to measure capacity rather than the limit.
 */
public final class RunLoad {

    private static final String PIXELS = Collections.nCopies(784, "0.1").toString();

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8080";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int viewers = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        String longKind = args.length > 3 ? args[3] : "train";
        String longParams = args.length > 4 ? args[4]
                : "{\"hidden\":[16],\"activation\":\"relu\",\"learningRate\":0.1,\"batchSize\":32,\"steps\":20000,\"seed\":1}";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        long heapBefore = heap(http, base);
        System.out.printf("DeepScope load against %s%n%nheap used before: %.1f MB%n", base, heapBefore / 1e6);
        streams(http, base, clients);
        idleViewers(http, base, viewers, longKind, longParams, heapBefore);
        System.exit(0);
    }

    /** N clients, each a new session: POST /api/runs then read the events until the stream ends. */
    private static void streams(HttpClient http, String base, int clients) throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        List<Long> firstEvent = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long start = System.nanoTime();
            HttpRequest create = HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"kind\":\"classify\",\"params\":{\"model\":\"cnn\",\"pixels\":" + PIXELS + "}}"))
                    .build();
            all.add(http.sendAsync(create, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
                if (r.statusCode() == 429) {
                    refused.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                } else if (r.statusCode() >= 500) {
                    serverErrors.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                } else if (r.statusCode() != 201) {
                    other.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                }
                started.incrementAndGet();
                HttpRequest events = HttpRequest.newBuilder(URI.create(base + field(r.body(), "events"))).GET().build();
                return http.sendAsync(events, HttpResponse.BodyHandlers.fromLineSubscriber(new Lines(
                        line -> line.startsWith("event:"), () -> firstEvent.add(System.nanoTime() - start))));
            }).exceptionally(e -> {
                other.incrementAndGet();
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Long> sorted = new ArrayList<>(firstEvent);
        Collections.sort(sorted);
        System.out.printf("%n%d concurrent clients (classify run + its stream each), %.1f s%n", clients, seconds);
        System.out.printf("  runs started %d, refused (429) %d, 5xx %d, other failures %d%n",
                started.get(), refused.get(), serverErrors.get(), other.get());
        System.out.printf("  time to first event: p50 %.1f ms, p99 %.1f ms%n", pct(sorted, 0.5), pct(sorted, 0.99));
    }

    /** M viewers on one long run; counts those that got its first event, then cancels it. */
    private static void idleViewers(HttpClient http, String base, int viewers, String kind, String params,
                                    long heapBefore) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"" + kind + "\",\"params\":" + params + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            System.out.printf("%nCould not start the long run (%d): %s%n", created.statusCode(), created.body());
            return;
        }
        String id = field(created.body(), "id");
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < viewers; i++) {
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/events")).GET().build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new Lines(line -> line.startsWith("event:"),
                            connected::incrementAndGet)))
                    .exceptionally(e -> {
                        failed.incrementAndGet();
                        return null;
                    });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (connected.get() + failed.get() < viewers && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long heapWith = heap(http, base);
        System.out.printf("%n%d idle viewers of one %s run: %d following, %d failed%n", viewers, kind,
                connected.get(), failed.get());
        System.out.printf("  heap used with them: %.1f MB (%+.1f MB, %.1f kB per viewer)%n", heapWith / 1e6,
                (heapWith - heapBefore) / 1e6, (heapWith - heapBefore) / 1e3 / Math.max(1, connected.get()));
        // only the session that started the run may cancel it: send back the cookie its creation set
        String owner = created.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0]).orElse("");
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).header("Cookie", owner).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Sum of jvm_memory_used_bytes{area="heap"} from the app's Prometheus endpoint. */
    private static long heap(HttpClient http, String base) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }

    /** Reads an SSE stream line by line; calls {@code onFirst} once, when {@code isEvent} first says yes. */
    private static final class Lines implements Flow.Subscriber<String> {
        private final java.util.function.Predicate<String> isEvent;
        private final Runnable onFirst;
        private boolean seen;

        Lines(java.util.function.Predicate<String> isEvent, Runnable onFirst) {
            this.isEvent = isEvent;
            this.onFirst = onFirst;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!seen && isEvent.test(line)) {
                seen = true;
                onFirst.run();
            }
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
