package dev.deepscope.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.deepscope.DeepScopeApplication;
import dev.deepscope.mnist.MnistDigits;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The serving path's cost, in one run: {@code wrk} (at {@code /usr/bin/wrk}, two threads) against a bare Reactor
 * Netty server answering the same bytes as the app's trivial GETs — the stack's own floor on this machine — and
 * against the app itself (started in process): {@code /actuator/health/liveness}, the stylesheet with and
 * without a session cookie, and classify {@code mlp-sigmoid} (a POST of one MNIST digit). Each at 4 and 64
 * connections. Printed: requests answered per second (only 2xx count) and the ratios the serving path is held
 * to: trivial GET / bare server (target ≥ 25 %) and classify / trivial GET (target ≥ 50 %).
 *
 * <p>Not a test: a measurement (see README). {@code -Dbench.seconds=N} per point (default 10). The app runs
 * with the abuse limits lifted (one benchmark client is one address and, without a cookie, a new session per
 * request): what is measured is the serving path, not the limits. {@code -Dbench.warmup=N} seconds of load in turns over
 * every path first (default 150: the JIT is slow to settle on 2 cores).
 */
public final class ServingBenchmark {

    private static final long SECONDS = Long.getLong("bench.seconds", 10);
    /**
     * Seconds of load, taken in turns over every path, before anything is measured. The JIT needs minutes here:
     * measured on this 2-core machine, classify went 300 → 400 → 780 → 1,490 → 1,830 /s over five 15-s loads
     * while the C2 compiler took half a core; a 10-s warm-up per path reported a third of the steady rate.
     */
    private static final long WARM_UP = Long.getLong("bench.warmup", 150);
    /** One turn of the warm-up on one path, seconds. */
    private static final long WARM_UP_TURN = 15;
    private static final int[] CONNECTIONS = {4, 64};
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(\\w+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern P50 = Pattern.compile("50%\\s+([\\d.]+)(\\w+)");

    /**
     * One wrk point: 2xx answers per second, the refused/failed share, the median latency (ms), and the CPU this
     * process (app and bare server; only one is under load at a time) spent per request, µs — the figure that
     * holds when other work shares the cores, where the rates fall with whatever else runs.
     */
    record Point(double okPerSecond, long requests, long non2xx, double p50Ms, double cpuMicrosPerRequest) {
        @Override
        public String toString() {
            return String.format("%9.0f /s  p50 %7.2f ms  CPU %6.0f µs/request%s", okPerSecond, p50Ms,
                    cpuMicrosPerRequest, non2xx == 0 ? "" : String.format("  (%d of %d not 2xx)", non2xx, requests));
        }
    }

    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** A body the bare server answers exactly as the app did. */
    record Answer(String contentType, byte[] body) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("deepscope-serving-bench");
        ConfigurableApplicationContext app = new SpringApplication(DeepScopeApplication.class).run(
                "--server.port=0", "--deepscope.data-dir=" + data, "--logging.level.root=warn",
                "--deepscope.rate-limit.per-address=1000000000", "--deepscope.rate-limit.per-session=1000000000",
                "--deepscope.clients.slots=72", "--deepscope.runs.slots=80");
        String appBase = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        String css = stylesheetPath(http, appBase);
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("/actuator/health/liveness", fetch(http, appBase + "/actuator/health/liveness"));
        answers.put(css, fetch(http, appBase + css));
        DisposableServer bare = bareServer(answers);
        String bareBase = "http://127.0.0.1:" + bare.port();
        String cookie = sessionCookie(http, appBase);
        Path classify = classifyScript(data, null);
        Path classifyCookie = classifyScript(data, cookie);

        System.out.printf("%nServing benchmark: %d cores, wrk -t2, %d s per point, app %s, bare Reactor Netty %s%n",
                Runtime.getRuntime().availableProcessors(), SECONDS, appBase, bareBase);
        try {
            warmUp(List.of(
                    () -> wrk(appBase + "/actuator/health/liveness", 4, WARM_UP_TURN, List.of()),
                    () -> wrk(appBase + css, 4, WARM_UP_TURN, List.of()),
                    () -> wrk(appBase + css, 4, WARM_UP_TURN, List.of("-H", "Cookie: " + cookie)),
                    () -> wrk(bareBase + css, 4, WARM_UP_TURN, List.of()),
                    () -> wrk(appBase + "/api/digits/classify", 4, WARM_UP_TURN, List.of("-s", classify.toString())),
                    () -> wrk(appBase + "/api/digits/classify", 4, WARM_UP_TURN, List.of("-s", classifyCookie.toString()))));
            for (int c : CONNECTIONS) {
                Point bareLive = wrk(bareBase + "/actuator/health/liveness", c, SECONDS, List.of());
                Point bareCss = wrk(bareBase + css, c, SECONDS, List.of());
                Point live = wrk(appBase + "/actuator/health/liveness", c, SECONDS, List.of());
                Point style = wrk(appBase + css, c, SECONDS, List.of());
                Point styleCookie = wrk(appBase + css, c, SECONDS, List.of("-H", "Cookie: " + cookie));
                Point digits = wrk(appBase + "/api/digits/classify", c, SECONDS, List.of("-s", classify.toString()));
                Point digitsCookie = wrk(appBase + "/api/digits/classify", c, SECONDS,
                        List.of("-s", classifyCookie.toString()));
                System.out.printf("%nc=%d%n", c);
                System.out.println("  bare   liveness bytes      " + bareLive);
                System.out.println("  bare   stylesheet bytes    " + bareCss);
                System.out.println("  app    liveness            " + live);
                System.out.println("  app    stylesheet          " + style);
                System.out.println("  app    stylesheet + cookie " + styleCookie);
                System.out.println("  app    classify mlp-sigmoid" + digits);
                System.out.println("  app    classify + cookie   " + digitsCookie);
                System.out.printf("  trivial GET / bare:  liveness %5.1f %%, stylesheet %5.1f %%, with cookie %5.1f %%"
                                + "  (target ≥ 25 %%)%n", percent(live, bareLive), percent(style, bareCss),
                        percent(styleCookie, bareCss));
                System.out.printf("  classify / trivial GET: %5.1f %% of liveness, %5.1f %% of stylesheet; with the"
                                + " page's cookie %5.1f %% / %5.1f %%  (target ≥ 50 %%)%n", percent(digits, live),
                        percent(digits, style), percent(digitsCookie, live), percent(digitsCookie, styleCookie));
                System.out.printf("  by CPU per request (bare ÷ app, as a rate would be on idle cores): stylesheet %5.1f %%,"
                        + " liveness %5.1f %%; classify with cookie ÷ stylesheet with cookie %5.1f %%, ÷ liveness %5.1f %%%n",
                        cpuPercent(bareCss, style), cpuPercent(bareLive, live), cpuPercent(styleCookie, digitsCookie),
                        cpuPercent(live, digitsCookie));
            }
        } finally {
            bare.disposeNow();
            app.close();
        }
        System.exit(0);
    }

    /** A load that warms the JIT; what it measured is thrown away. */
    private interface Load {
        Point run() throws Exception;
    }

    /** Runs the loads in turns until {@link #WARM_UP} seconds have passed, printing each turn's rate. */
    private static void warmUp(List<Load> loads) throws Exception {
        long end = System.nanoTime() + WARM_UP * 1_000_000_000L;
        System.out.print("warm-up (requests/s, in turns):");
        while (System.nanoTime() < end) {
            for (Load load : loads) {
                System.out.printf(" %.0f", load.run().okPerSecond());
            }
            System.out.print(" |");
        }
        System.out.println();
    }

    /** {@code cheaper}'s CPU per request as a share of {@code dearer}'s: what the rate ratio is on idle cores. */
    private static double cpuPercent(Point cheaper, Point dearer) {
        return 100 * cheaper.cpuMicrosPerRequest() / dearer.cpuMicrosPerRequest();
    }

    private static double percent(Point a, Point b) {
        return 100 * a.okPerSecond() / b.okPerSecond();
    }

    /** The stylesheet link of the home page, as a browser would follow it (a fingerprinted URL, if any). */
    private static String stylesheetPath(HttpClient http, String base) throws Exception {
        String page = new String(fetch(http, base + "/").body(), StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("href=\"(/css/app[^\"]*\\.css)\"").matcher(page);
        if (!link.find()) {
            throw new IllegalStateException("the home page links no /css/app…css");
        }
        return link.group(1);
    }

    private static Answer fetch(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return new Answer(response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                response.body());
    }

    /** A session cookie the app issued (from a page, which needs one), as a browser sends it back. */
    private static String sessionCookie(HttpClient http, String base) throws Exception {
        HttpResponse<Void> page = http.send(HttpRequest.newBuilder(URI.create(base + "/digits")).build(),
                HttpResponse.BodyHandlers.discarding());
        return page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("deepscope_session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("/digits set no session cookie"));
    }

    /** Reactor Netty with nothing else: each path answers the app's bytes with its Content-Type. */
    private static DisposableServer bareServer(Map<String, Answer> answers) {
        return HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
            Answer answer = answers.get(request.path().isEmpty() ? "/" : "/" + request.path());
            if (answer == null) {
                return response.status(404).send();
            }
            return response.header("Content-Type", answer.contentType())
                    .header("Content-Length", String.valueOf(answer.body().length))
                    .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(answer.body())));
        }).bindNow();
    }

    /**
     * A wrk script that POSTs one validation digit to classify with {@code mlp-sigmoid}, with {@code cookie} (as
     * the /digits pad sends it) or without (an API client that keeps no cookie: a session minted per request).
     */
    private static Path classifyScript(Path dir, String cookie) throws IOException {
        String pixels = Arrays.toString(MnistDigits.load().validation().get(0).pixels());
        String body = "{\"model\":\"mlp-sigmoid\",\"pixels\":" + pixels + "}";
        Path script = dir.resolve(cookie == null ? "classify.lua" : "classify-cookie.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + (cookie == null ? "" : "wrk.headers[\"Cookie\"] = \"" + cookie + "\"\n")
                + "wrk.body = [[" + body + "]]\n");
        return script;
    }

    /** Runs {@code wrk -t2 -c<connections> -d<seconds>s --latency} and reads its summary. */
    private static Point wrk(String url, int connections, long seconds, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/wrk", "-t2", "-c" + connections,
                "-d" + seconds + "s", "--latency"));
        command.addAll(extra);
        command.add(url);
        long cpuBefore = OS.getProcessCpuTime();
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        long cpuNanos = OS.getProcessCpuTime() - cpuBefore;
        Matcher requests = REQUESTS.matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("wrk said: " + out);
        }
        long total = Long.parseLong(requests.group(1));
        double elapsed = seconds(Double.parseDouble(requests.group(2)), requests.group(3));
        Matcher non2xx = NON_2XX.matcher(out);
        long refused = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        Matcher p50 = P50.matcher(out);
        double p50Ms = p50.find() ? seconds(Double.parseDouble(p50.group(1)), p50.group(2)) * 1000 : Double.NaN;
        return new Point((total - refused) / elapsed, total, refused, p50Ms, cpuNanos / 1e3 / Math.max(1, total));
    }

    private static double seconds(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1e6;
            case "ms" -> value / 1e3;
            case "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
    }
}
