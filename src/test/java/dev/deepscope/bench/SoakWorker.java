package dev.deepscope.bench;

import dev.deepscope.bench.SoakTally.StartedRun;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * One thread of a soak client: until the deadline, picks a weighted random piece of work — a run of every
 * kind (classify on each model, train, a GD-vs-SGD race via /api/runs/batch, generate with and without
 * attention, diffuse in pixel and latent space), an endpoint that computes, a share-link replay, history —
 * and does it as a page would: a started run's stream is read to its end, or left mid-way (the server then
 * cancels it after its reconnect grace), or cancelled with DELETE by its owner. A 429 makes it pause briefly,
 * not for the whole Retry-After: a soak is a client that keeps pressing.
 */
final class SoakWorker implements Runnable {

    /** What a worker needs to build requests: digits to classify (784 pixels as JSON, label), models. */
    record Inputs(List<String> pixels, List<Integer> labels, List<String> classifyModels) {
    }

    private record Work(int weight, Consumer<SoakWorker> action) {
    }

    private static final String[] PROMPTS = {"Call me Ishmael.", "The whale", "It was the Pequod, and",
            "Queequeg was a native of", "Ahab stood upon the deck and"};
    private static final String SCORED_TEXT = "Whenever I find myself growing grim about the mouth; whenever it is "
            + "a damp, drizzly November in my soul; then, I account it high time to get to sea as soon as I can.";

    private static final List<Work> MIX = List.of(
            new Work(14, w -> w.classifyRun()),
            new Work(6, w -> w.trainRun()),
            new Work(3, w -> w.race()),
            new Work(6, w -> w.generate(false)),
            new Work(4, w -> w.generate(true)),
            new Work(4, w -> w.diffuse("pixel")),
            new Work(5, w -> w.diffuse("latent")),
            new Work(10, w -> w.liveClassify()),
            new Work(4, w -> w.sample()),
            new Work(4, w -> w.score()),
            new Work(4, w -> w.similarity()),
            new Work(2, w -> w.landscape()),
            new Work(3, w -> w.backprop()),
            new Work(12, w -> w.replay()),
            new Work(2, w -> w.sharePage()),
            new Work(3, w -> w.history()));
    private static final int TOTAL_WEIGHT = MIX.stream().mapToInt(Work::weight).sum();

    private final SoakClient client;
    private final SoakClient.Session session;
    private final SoakTally tally;
    private final Inputs inputs;
    private final SplittableRandom random;
    private final long deadlineNanos;

    SoakWorker(SoakClient client, SoakClient.Session session, SoakTally tally, Inputs inputs, long seed,
               long deadlineNanos) {
        this.client = client;
        this.session = session;
        this.tally = tally;
        this.inputs = inputs;
        this.random = new SplittableRandom(seed);
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
        while (System.nanoTime() < deadlineNanos) {
            int pick = random.nextInt(TOTAL_WEIGHT);
            for (Work work : MIX) {
                pick -= work.weight();
                if (pick < 0) {
                    work.action().accept(this);
                    break;
                }
            }
        }
    }

    private void classifyRun() {
        String model = inputs.classifyModels().get(random.nextInt(inputs.classifyModels().size()));
        start("run classify", "classify", "{\"model\":\"" + model + "\",\"pixels\":" + digit() + "}");
    }

    private void trainRun() {
        boolean relu = random.nextBoolean();
        start("run train", "train", "{\"hidden\":" + (random.nextBoolean() ? "[16]" : "[32,16]")
                + ",\"activation\":\"" + (relu ? "relu" : "sigmoid") + "\",\"learningRate\":" + (relu ? 0.4 : 3)
                + ",\"batchSize\":32,\"steps\":" + (300 + random.nextInt(500)) + ",\"seed\":" + seed() + "}");
    }

    /** Gradient descent (m = every digit) against SGD (m = 32): both start or neither. */
    private void race() {
        long seed = seed();
        String common = "\"hidden\":[16],\"activation\":\"sigmoid\",\"learningRate\":3,\"steps\":100,\"seed\":" + seed;
        SoakClient.Reply reply = client.post("run race (batch)", "/api/runs/batch",
                "{\"runs\":[{\"kind\":\"train\",\"params\":{" + common + ",\"batchSize\":9003}},"
                        + "{\"kind\":\"train\",\"params\":{" + common + ",\"batchSize\":32}}]}", session);
        if (reply.status() == 201) {
            List<StartedRun> runs = JsonMapper.shared().readTree(reply.body()).path("runs").valueStream()
                    .map(run -> new StartedRun(run.path("id").asString(), "train", "run race (batch)", client,
                            session))
                    .toList();
            runs.forEach(run -> tally.started(run, client.address));
            runs.forEach(this::follow);
        } else {
            pauseAfter(reply);
        }
    }

    private void generate(boolean attention) {
        int tokens = attention ? (random.nextInt(4) == 0 ? 512 : 128) : 64;
        start(attention ? "run generate+attention" : "run generate", "generate",
                "{\"prompt\":\"" + PROMPTS[random.nextInt(PROMPTS.length)] + "\",\"maxTokens\":" + tokens
                        + ",\"attention\":" + attention + ",\"seed\":" + seed() + "}");
    }

    private void diffuse(String space) {
        String condition = random.nextInt(3) == 0 ? "\"prompt\":\"a drawing of a seven\",\"noise\":true"
                : "\"digit\":" + random.nextInt(10);
        start("run diffuse " + space, "diffuse", "{" + condition + ",\"guidance\":3,\"steps\":50,\"space\":\""
                + space + "\",\"seed\":" + seed() + "}");
    }

    private void start(String label, String kind, String params) {
        SoakClient.Reply reply = client.post(label, "/api/runs",
                "{\"kind\":\"" + kind + "\",\"params\":" + params + "}", session);
        if (reply.status() == 201) {
            StartedRun run = new StartedRun(SoakClient.field(reply.body(), "id"), kind, label, client, session);
            tally.started(run, client.address);
            follow(run);
        } else {
            pauseAfter(reply);
        }
    }

    /** Reads the run's stream: to the end (most), leaving after a few events, or cancelling it as its owner. */
    private void follow(StartedRun run) {
        int how = random.nextInt(100);
        String events = "/api/runs/" + run.id + "/events";
        if (how < 12) {
            client.stream("events (live)", events, session, 1 + random.nextInt(4));
        } else if (how < 22 && session.hasCookie()) {
            SoakClient.StreamRead read = client.stream("events (live)", events, session, 1 + random.nextInt(3));
            if (!read.ended()) {
                client.delete("cancel (owner)", "/api/runs/" + run.id, session);
            } else if ("done".equals(read.last())) {
                tally.finished(run);
            }
        } else {
            SoakClient.StreamRead read = client.stream("events (live)", events, session, 0);
            if (read.ended() && "done".equals(read.last())) {
                tally.finished(run);
            }
        }
    }

    private void liveClassify() {
        String model = inputs.classifyModels().get(random.nextInt(inputs.classifyModels().size()));
        pauseAfter(client.post("POST /api/digits/classify", "/api/digits/classify",
                "{\"model\":\"" + model + "\",\"pixels\":" + digit() + "}", session));
    }

    private void sample() {
        pauseAfter(client.post("POST /api/diffusion/sample", "/api/diffusion/sample", "{\"digit\":"
                + random.nextInt(10) + ",\"steps\":20,\"count\":" + (1 + random.nextInt(4)) + ",\"space\":\""
                + (random.nextBoolean() ? "pixel" : "latent") + "\",\"seed\":" + seed() + "}", session));
    }

    private void score() {
        int end = 40 + random.nextInt(SCORED_TEXT.length() - 40);
        pauseAfter(client.post("POST /api/text/score", "/api/text/score",
                "{\"text\":\"" + SCORED_TEXT.substring(0, end) + "\"}", session));
    }

    private void similarity() {
        pauseAfter(client.post("POST /api/clip/similarity", "/api/clip/similarity", "{\"images\":[" + digit()
                + "," + digit() + "],\"texts\":[\"a handwritten seven\",\"the number three\",\"a whale\"]}", session));
    }

    /** Needs a recent train run (the server keeps the networks of the newest few): 404 otherwise. */
    private void landscape() {
        String model = tally.latestTrained();
        if (model != null) {
            pauseAfter(client.post("POST /api/learning/landscape", "/api/learning/landscape",
                    "{\"model\":\"" + model + "\",\"resolution\":9,\"seed\":" + seed() + "}", session));
        }
    }

    private void backprop() {
        String model = tally.latestTrained();
        if (model != null) {
            int i = random.nextInt(inputs.pixels().size());
            pauseAfter(client.post("POST /api/learning/backprop", "/api/learning/backprop", "{\"model\":\"" + model
                    + "\",\"pixels\":" + inputs.pixels().get(i) + ",\"label\":" + inputs.labels().get(i)
                    + ",\"weight\":{\"layer\":1,\"row\":" + random.nextInt(16) + ",\"col\":" + random.nextInt(784)
                    + "}}", session));
        }
    }

    /** A share link's replay of a finished run (anyone's): read whole, its size noted, or left mid-way. */
    private void replay() {
        SoakTally.Finished run = tally.anyFinished(random);
        if (run == null) {
            return;
        }
        boolean leave = random.nextInt(10) == 0;
        SoakClient.StreamRead read = client.stream("events (replay)", "/api/runs/" + run.id() + "/events",
                session, leave ? 2 : 0);
        if (read.ended()) {
            tally.replayed(run.label(), read.chars());
        }
    }

    private void sharePage() {
        SoakTally.Finished run = tally.anyFinished(random);
        if (run != null) {
            client.get("GET /r/{id}", "/r/" + run.id(), session);
        }
    }

    private void history() {
        client.get("GET /api/history", "/api/history?page=0&size=20&kind=all", session);
    }

    private String digit() {
        return inputs.pixels().get(random.nextInt(inputs.pixels().size()));
    }

    private long seed() {
        return random.nextInt(1_000_000);
    }

    /** A refused client presses on after a short pause (100–300 ms), not after the whole Retry-After. */
    private void pauseAfter(SoakClient.Reply reply) {
        if (reply.status() == 429 || reply.status() == 0) {
            try {
                Thread.sleep(100 + random.nextInt(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
