package dev.deepscope.bench;

import dev.deepscope.DeepScopeApplication;
import dev.deepscope.runs.EventBudgets;
import dev.deepscope.text.BytePairEncoding;
import dev.deepscope.text.DecodingLoop;
import dev.deepscope.text.GenerateParams;
import dev.deepscope.text.Sampler;
import dev.deepscope.text.TextModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The generate serving path, measured in one run against an app started in this process: tokens/s of one text
 * written by the decoding loop directly (in process) and of one {@code generate} run read over SSE, of 16 runs
 * started at once and read over SSE, the decoding loop's mean batch while those 16 are written, and the event
 * bytes stored per token (with and without attention) against the kind's event budget. Not a test: a
 * measurement. See README for the command.
 */
public final class GenerateStreamBenchmark {

    private static final int TOKENS = Integer.getInteger("bench.tokens", 256);
    private static final int STREAMS = Integer.getInteger("bench.streams", 16);
    private static final int REPEATS = Integer.getInteger("bench.repeats", 3);
    private static final String[] PROMPTS = {"Call me Ishmael.", "The whale", "Queequeg was", "It was a dark night, and"};
    private static final Pattern EVENT = Pattern.compile("^event:\\s*(\\S+)");

    /** What one stream read: its tokens and how it ended. */
    record Read(int tokens, String end, String runId) {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext app = new SpringApplication(DeepScopeApplication.class).run(
                "--server.port=0", "--deepscope.data-dir=" + Files.createTempDirectory("deepscope-bench"),
                "--logging.level.root=warn",
                // measure the serving path, not the abuse limits (one benchmark client is one address)
                "--deepscope.rate-limit.per-address=1000000000", "--deepscope.rate-limit.per-session=1000000000",
                "--deepscope.clients.slots=" + (STREAMS + 2), "--deepscope.runs.per-session=" + (STREAMS + 2));
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        String base = "http://localhost:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        TextModel model = app.getBean(TextModel.class);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        EventBudgets.Budget budget = app.getBean(EventBudgets.class).of("generate");
        System.out.printf("%nGenerate stream benchmark: %d cores, %d tokens per text, %d streams, best of %d, port %d%n",
                Runtime.getRuntime().availableProcessors(), TOKENS, STREAMS, REPEATS, port);
        try {
            inProcess(model, 1);                                    // warm up both paths
            overSse(http, base, 1, false);
            double local = 0;
            double one = 0;
            double many = 0;
            double manyLocal = 0;
            double batch = 0;
            for (int r = 0; r < REPEATS; r++) {
                local = Math.max(local, inProcess(model, 1));
                manyLocal = Math.max(manyLocal, inProcess(model, STREAMS));
                one = Math.max(one, overSse(http, base, 1, false).perSecond());
                DecodingLoop.Batching before = model.decoding().batching();
                many = Math.max(many, overSse(http, base, STREAMS, false).perSecond());
                batch = Math.max(batch, model.decoding().batching().since(before).meanBatch());
            }
            System.out.printf("in process (decoding loop, inspection on): 1 text %7.1f tokens/s, %d texts %7.1f tokens/s%n",
                    local, STREAMS, manyLocal);
            System.out.printf("over SSE (generate runs, no attention):    1 run  %7.1f tokens/s, %d runs  %7.1f tokens/s%n",
                    one, STREAMS, many);
            System.out.printf("one stream over SSE / in process:          %5.1f %%   (target ≥ 60 %%)%n", 100 * one / local);
            System.out.printf("%d streams over SSE / one over SSE:        %5.2f×   (target ≥ 4×)%n", STREAMS, many / one);
            System.out.printf("mean decoding batch with %d runs:          %5.1f    (target ≥ 12)%n", STREAMS, batch);
            double perTokenBudget = (double) budget.bytes().toBytes() / GenerateParams.MAX_TOKENS;
            for (boolean attention : new boolean[] {false, true}) {
                Sse sse = overSse(http, base, 1, attention);
                Read read = sse.reads().get(0);
                long bytes = jdbc.sql("select coalesce(sum(octet_length(data::text)), 0) from run_events where run_id = ?")
                        .param(read.runId()).query(Long.class).single();
                long events = jdbc.sql("select count(*) from run_events where run_id = ?")
                        .param(read.runId()).query(Long.class).single();
                System.out.printf("stored per token, attention %-5s: %6.0f bytes (%d events, %d bytes for %d tokens; "
                        + "budget %d bytes / %d tokens = %.0f bytes per token)%n", attention, (double) bytes / read.tokens(),
                        events, bytes, read.tokens(), budget.bytes().toBytes(), GenerateParams.MAX_TOKENS, perTokenBudget);
            }
        } finally {
            app.close();
        }
        System.exit(0);
    }

    /** Tokens/s of {@code texts} texts submitted to the app's decoding loop at once, read to their end. */
    static double inProcess(TextModel model, int texts) throws Exception {
        BytePairEncoding tokenizer = model.tokenizer();
        long start = System.nanoTime();
        List<DecodingLoop.Queued> streams = new ArrayList<>();
        for (int i = 0; i < texts; i++) {
            streams.add(model.decoding().submit(new DecodingLoop.Request(tokenizer.encode(PROMPTS[i % PROMPTS.length]),
                    TOKENS, new Sampler.Settings(0.8, 40, 0.95), i, true)));
        }
        int tokens = 0;
        for (DecodingLoop.Queued stream : streams) {
            for (DecodingLoop.Event e = stream.next(); e instanceof DecodingLoop.Token; e = stream.next()) {
                tokens++;
            }
        }
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    /** What a group of runs read over SSE, and how long from the first POST to the last {@code done}. */
    record Sse(List<Read> reads, double seconds) {
        double perSecond() {
            for (Read r : reads) {
                if (!"done".equals(r.end()) || r.tokens() != TOKENS) {
                    throw new IllegalStateException("a stream ended with " + r.end() + " after " + r.tokens() + " tokens");
                }
            }
            return reads.stream().mapToInt(Read::tokens).sum() / seconds;
        }
    }

    /** {@code runs} generate runs started at once (POST /api/runs each), each stream read to its last event. */
    static Sse overSse(HttpClient http, String base, int runs, boolean attention) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Read>> reads = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String body = "{\"kind\":\"generate\",\"params\":{\"prompt\":\"" + PROMPTS[i % PROMPTS.length]
                    + "\",\"maxTokens\":" + TOKENS + ",\"seed\":" + i + ",\"attention\":" + attention + "}}";
            reads.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).thenCompose(created -> {
                        if (created.statusCode() != 201) {
                            throw new IllegalStateException("POST /api/runs: " + created.statusCode() + " " + created.body());
                        }
                        String id = field(created.body(), "id");
                        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + field(created.body(), "events")))
                                .GET().build(), HttpResponse.BodyHandlers.ofLines()).thenApply(r -> read(id, r.body()));
                    }));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Sse(reads.stream().map(CompletableFuture::join).toList(), seconds);
    }

    private static Read read(String runId, Stream<String> lines) {
        int tokens = 0;
        String end = "broken";
        for (String line : (Iterable<String>) lines::iterator) {
            Matcher m = EVENT.matcher(line);
            if (!m.find()) {
                continue;
            }
            String type = m.group(1);
            if (type.equals("token")) {
                tokens++;
            } else if (type.equals("done") || type.equals("error") || type.equals("cancelled")) {
                end = type;
                break;
            }
        }
        lines.close();
        return new Read(tokens, end, runId);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
