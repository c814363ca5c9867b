package dev.deepscope.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The soak (not a test; see README, "Soak"): a mixed load of every run kind and every endpoint that
 * computes, from several client addresses (127.0.0.2, .3, …: one cookie, no cookie, a cookie per worker)
 * for N minutes against a running app, while another client (127.0.0.200) classifies one digit in a loop.
 * Prints runs started / refused / lost, 5xx, stored bytes before and after against the event budgets, heap
 * before and after, and the other client's classify p50/p95 idle and under the load. Exits 1 if a run was
 * lost, a request got a 5xx, or a stream broke off.
 *
 * <p>Arguments: base URL (a loopback address: the clients bind 127.0.0.x), minutes (2), then options
 * {@code --addresses N} (6), {@code --workers K} per address (3), {@code --data-dir DIR} (the app's, when
 * its storage gauges are missing), {@code --budget kind=2MB} (repeatable; else read from the metrics or
 * src/main/resources/application.yml), {@code --idle-seconds S} (15), {@code --settle-seconds S} (90),
 * {@code --probe-model M} (mlp-sigmoid), {@code --seed S} (1).
 */
public final class Soak {

    static final Set<String> KNOWN_KINDS = Set.of("classify", "train", "generate", "diffuse");
    private static final String[] COOKIES = {"one cookie", "no cookie", "a cookie per worker"};

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String base = options.base;
        HttpClient metricsHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SoakTally tally = new SoakTally();
        SoakClient probeClient = new SoakClient(base, "127.0.0.200", tally);

        System.out.printf("DeepScope soak against %s: %.1f min, %d addresses × %d workers, probe on 127.0.0.200%n%n",
                base, options.minutes, options.addresses, options.workers);
        SoakWorker.Inputs inputs = inputs(probeClient, options);
        Set<String> kinds = kinds(probeClient);
        Set<String> unknown = new TreeSet<>(kinds);
        unknown.removeAll(KNOWN_KINDS);
        System.out.printf("run kinds on the server: %s%s%n", kinds,
                unknown.isEmpty() ? "" : "  (not in the soak's mix: " + unknown + ")");
        System.out.printf("classify models: %s%n", inputs.classifyModels());

        ServerGauges.Snapshot before = ServerGauges.scrape(metricsHttp, base);
        long dirBefore = ServerGauges.directorySize(options.dataDir);
        ClassifyProbe.Figures idle = ClassifyProbe.measure(probe(probeClient, inputs, options), options.idleSeconds * 1000L);
        System.out.printf("probe idle: %s%n%nload running …%n", idle);

        long deadline = System.nanoTime() + (long) (options.minutes * 60e9);
        ClassifyProbe loadProbe = probe(probeClient, inputs, options);
        Thread probeThread = loadProbe.start();
        List<SoakClient> clients = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int a = 0; a < options.addresses; a++) {
            SoakClient client = new SoakClient(base, "127.0.0." + (2 + a), tally);
            clients.add(client);
            String cookies = COOKIES[a % COOKIES.length];
            SoakClient.Session shared = new SoakClient.Session(!cookies.equals("no cookie"));
            for (int w = 0; w < options.workers; w++) {
                SoakClient.Session session = cookies.equals("a cookie per worker") ? new SoakClient.Session(true) : shared;
                Thread thread = new Thread(new SoakWorker(client, session, tally, inputs,
                        options.seed * 1000 + a * 100 + w, deadline), "soak-" + client.address + "-" + w);
                thread.start();
                workers.add(thread);
            }
        }
        double heapPeak = 0;
        for (Thread alive = workers.get(0); alive != null;
             alive = workers.stream().filter(Thread::isAlive).findFirst().orElse(null)) {
            heapPeak = Math.max(heapPeak, ServerGauges.scrape(metricsHttp, base).heapBytes());
            alive.join(TimeUnit.SECONDS.toMillis(5));
        }
        ClassifyProbe.Figures loaded = loadProbe.stop(probeThread);
        System.out.printf("load ended; checking %d started runs …%n", tally.started.size());

        RunAudit.Outcome audit = RunAudit.check(List.copyOf(tally.started), options.settleSeconds * 1000L);
        Thread.sleep(5000);   // let the last writes land and the heap settle before reading it
        ServerGauges.Snapshot after = ServerGauges.scrape(metricsHttp, base);
        long dirAfter = ServerGauges.directorySize(options.dataDir);
        ServerGauges.Budgets budgets = ServerGauges.budgets(after, options.budgets,
                Path.of("src/main/resources/application.yml"));

        SoakReport report = new SoakReport(tally, audit, before, after, dirBefore, dirAfter, budgets);
        report.requests();
        report.runs(options.addresses);
        report.storage(options.dataDir);
        report.heap(heapPeak);
        System.out.printf("%nanother client's classify (127.0.0.200, %s, one every %d ms)%n  idle       %s%n"
                + "  under load %s%n", options.probeModel, options.probePeriodMillis, idle, loaded);
        boolean failed = report.verdict();
        clients.forEach(SoakClient::close);
        probeClient.close();
        System.exit(failed ? 1 : 0);
    }

    private static ClassifyProbe probe(SoakClient client, SoakWorker.Inputs inputs, Options options) {
        return new ClassifyProbe(client, "probe POST /api/digits/classify", options.probeModel,
                inputs.pixels().get(0), options.probePeriodMillis);
    }

    /** Ten official test digits (GET /api/digits/samples/{i}) and the classify models of /api/system. */
    private static SoakWorker.Inputs inputs(SoakClient client, Options options) {
        SoakClient.Session session = new SoakClient.Session(false);
        List<String> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SoakClient.Reply reply = client.get("setup GET /api/digits/samples/{i}", "/api/digits/samples/" + (i * 997), session);
            JsonNode sample = JsonMapper.shared().readTree(reply.body());
            pixels.add(sample.path("pixels").toString());
            labels.add(sample.path("label").asInt());
        }
        List<String> models = new ArrayList<>();
        JsonNode system = JsonMapper.shared().readTree(client.get("setup GET /api/system", "/api/system", session).body());
        system.path("models").forEach(m -> {
            if (m.path("chapter").asString().equals("structure")) {   // chapter 1's digit classifiers
                models.add(m.path("name").asString());
            }
        });
        return new SoakWorker.Inputs(pixels, labels, models.isEmpty() ? List.of(options.probeModel) : models);
    }

    /** The kinds the server runs: the 400 for an unknown kind lists them ("must be one of [...]"). */
    private static Set<String> kinds(SoakClient client) {
        String body = client.post("setup POST /api/runs (unknown kind)", "/api/runs",
                "{\"kind\":\"soak-unknown\",\"params\":{}}", new SoakClient.Session(false)).body();
        Matcher m = Pattern.compile("one of \\[([^]]*)]").matcher(body);
        Set<String> kinds = new TreeSet<>();
        if (m.find()) {
            for (String kind : m.group(1).split(",")) {
                kinds.add(kind.trim());
            }
        }
        return kinds;
    }

    /** Command-line arguments. */
    private static final class Options {
        String base = "http://127.0.0.1:8080";
        double minutes = 2;
        int addresses = 6;
        int workers = 3;
        Path dataDir;
        final Map<String, String> budgets = new LinkedHashMap<>();
        int idleSeconds = 15;
        int settleSeconds = 90;
        String probeModel = "mlp-sigmoid";
        long probePeriodMillis = 50;
        long seed = 1;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--addresses" -> o.addresses = Integer.parseInt(args[++i]);
                    case "--workers" -> o.workers = Integer.parseInt(args[++i]);
                    case "--data-dir" -> o.dataDir = Path.of(args[++i]);
                    case "--budget" -> {
                        String[] kv = value.split("=", 2);
                        o.budgets.put(kv[0], kv[1]);
                        i++;
                    }
                    case "--idle-seconds" -> o.idleSeconds = Integer.parseInt(args[++i]);
                    case "--settle-seconds" -> o.settleSeconds = Integer.parseInt(args[++i]);
                    case "--probe-model" -> o.probeModel = args[++i];
                    case "--seed" -> o.seed = Long.parseLong(args[++i]);
                    default -> positional.add(args[i]);
                }
            }
            if (!positional.isEmpty()) {
                o.base = positional.get(0).replaceAll("/+$", "");
            }
            if (positional.size() > 1) {
                o.minutes = Double.parseDouble(positional.get(1));
            }
            // the clients bind 127.0.0.x, which reaches only IPv4 loopback (localhost may resolve to ::1)
            URI uri = URI.create(o.base);
            if (!uri.getHost().equals("localhost") && !uri.getHost().startsWith("127.")) {
                throw new IllegalArgumentException("the soak's clients bind 127.0.0.x: give a loopback base URL");
            }
            o.base = o.base.replaceFirst("//localhost", "//127.0.0.1");
            if (o.addresses < 1 || o.addresses > 190) {
                throw new IllegalArgumentException("--addresses must be 1..190 (127.0.0.2 … 127.0.0.191)");
            }
            return o;
        }
    }
}
