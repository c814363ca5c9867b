package dev.deepscope.bench;

import dev.deepscope.DeepScopeApplication;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.mnist.MnistDigits;
import dev.deepscope.models.ShippedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Classify latency and throughput over HTTP (POST /api/digits/classify on a started app) and in process
 * (a bare Session.run loop on the same checkpoint), at concurrency 1, 8 and 64, with their ratio.
 * Not a test: a measurement. See README for the command.
 */
public final class ClassifyBenchmark {

    private static final int[] CONCURRENCY = {1, 8, 64};
    private static final long SECONDS_PER_POINT = Long.getLong("bench.seconds", 4);

    /** What one concurrency level measured. */
    record Figures(int concurrency, int ok, int refused, int failed, double p50Ms, double p99Ms, double perSecond) {
        @Override
        public String toString() {
            return String.format("c=%-3d  p50 %7.3f ms  p99 %7.3f ms  %8.0f /s  (ok %d, 429 %d, other %d)",
                    concurrency, p50Ms, p99Ms, perSecond, ok, refused, failed);
        }
    }

    interface Call {
        /** Returns the HTTP status (200 in process). */
        int run(int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<String> models = args.length > 0 ? List.of(args) : List.of("mlp-sigmoid", "cnn");
        MnistDigits digits = MnistDigits.load();
        ConfigurableApplicationContext app = new SpringApplication(DeepScopeApplication.class).run(
                "--server.port=0", "--deepscope.data-dir=" + Files.createTempDirectory("deepscope-bench"),
                "--logging.level.root=warn",
                // measure the serving path, not the abuse limits (one benchmark client is one address)
                "--deepscope.rate-limit.per-address=1000000000", "--deepscope.rate-limit.per-session=1000000000");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.printf("%nClassify benchmark: %d cores, %d s per point, app on port %d%n",
                Runtime.getRuntime().availableProcessors(), SECONDS_PER_POINT, port);
        try {
            for (String model : models) {
                List<String> bodies = digits.validation().stream().limit(200)
                        .map(d -> "{\"model\":\"" + model + "\",\"pixels\":" + Arrays.toString(d.pixels()) + "}")
                        .toList();
                Call overHttp = i -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/api/digits/classify")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size()))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                try (DigitNetwork network = ShippedModel.load(model,
                        s -> DigitNetwork.restore(DigitArchitecture.named(model).orElseThrow(), s.dir()))) {
                    Call inProcess = i -> {
                        network.forward(digits.validation().get(i % 200).pixels());
                        return 200;
                    };
                    measure(overHttp, 1, 1);               // warm up both paths
                    measure(inProcess, 1, 1);
                    System.out.printf("%n%s%n", model);
                    for (int c : CONCURRENCY) {
                        Figures h = measure(overHttp, c, SECONDS_PER_POINT);
                        Figures p = measure(inProcess, c, SECONDS_PER_POINT);
                        System.out.println("  HTTP        " + h);
                        System.out.println("  in-process  " + p);
                        System.out.printf("  ratio HTTP/in-process: p50 latency ×%.2f, throughput ×%.2f%n",
                                h.p50Ms() / p.p50Ms(), h.perSecond() / p.perSecond());
                    }
                }
            }
        } finally {
            app.close();
        }
        System.exit(0);
    }

    private static Figures measure(Call call, int concurrency, long seconds) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> perThread = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger counter = new AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            long[] latencies = new long[1 << 20];
            perThread.add(latencies);
            pool.submit(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length - 1) {
                    long t0 = System.nanoTime();
                    try {
                        int status = call.run(counter.getAndIncrement());
                        if (status == 200) {
                            latencies[++n] = System.nanoTime() - t0;
                        } else if (status == 429) {
                            refused.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                latencies[0] = n;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = perThread.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        return new Figures(concurrency, all.length, refused.get(), failed.get(), percentile(all, 0.50),
                percentile(all, 0.99), all.length / elapsed);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }
}
