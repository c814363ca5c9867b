package dev.deepscope.text.own;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import dev.deepscope.runs.RunCancelledException;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import dev.deepscope.system.TrainingProperties;
import dev.deepscope.text.Surprisal;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code train-text} run: a tiny GPT learns a learner's text from scratch, for at most {@code seconds}.
 * The last tenth of the text (by characters) is held out and never trained on. Streams {@code setup} (the
 * tokenizer, the model, the held-out bits per character of the untrained model), {@code metric} (the training
 * loss, {@link #METRICS} times a run), and {@link #SNAPSHOTS} times a run a {@code sample} written
 * by the model so far and the {@code attention} of each head on the text's first tokens; ends with {@code done}
 * and the held-out bits per character. The trained model is kept in {@link TrainedTexts}, also when the run is
 * stopped. Stops between two steps when cancelled.
 */
@Component
public class TrainTextRun implements RunWorker<TrainTextParams> {

    public static final String KIND = "train-text";
    /** The held-out tail: the last tenth of the text's characters. */
    static final double HELD_OUT = 0.1;
    static final int SNIPPET_TOKENS = 24;
    /**
     * Metric events and snapshots (a sample and the attention) come at fixed fractions of the run's time, so a run
     * emits at most {@link #METRICS} + 1 metrics and {@link #SNAPSHOTS} + 1 snapshots however long it trains (its
     * event budget holds for any {@code seconds}): a 60 s run shows a sample every 4 s.
     */
    static final int METRICS = 200;
    static final int SNAPSHOTS = 15;
    /** Snapshots take at most this share of the time: on a busy machine a run trains more and shows less. */
    static final double SNAPSHOT_SHARE = 0.2;

    private final TrainedTexts trained;
    private final int tensorflowThreads;

    TrainTextRun(TrainedTexts trained, TrainingProperties training) {
        this.trained = trained;
        this.tensorflowThreads = training.tensorflowThreads();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<TrainTextParams> paramsType() {
        return TrainTextParams.class;
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public void validate(TrainTextParams params) {
        params.validate();
    }

    @Override
    public RunSummary summarize(TrainTextParams params, JsonNode result) {
        String asked = params.describe() + " (" + params.tokenizer() + ", " + params.seconds() + " s, seed " + params.seed() + ")";
        if (result == null) {
            return new RunSummary(asked, null);
        }
        return new RunSummary(asked + String.format(" → %.2f bits per character held out",
                result.path("heldOutBitsPerChar").asDouble()), null);
    }

    /** The {@code setup} event: what is trained on what, and the untrained model's held-out bits per character. */
    record Setup(String tokenizer, int vocabulary, List<String> tokens, String model, long parameters,
                 int trainingCharacters, int heldOutCharacters, int trainingTokens, int heldOutTokens,
                 List<String> snippet, double heldOutBitsPerChar, int batchSize, int context) {
    }

    /** A {@code metric} event: after {@code step} steps and {@code seconds} of the run, the loss in nats per token. */
    record Metric(long step, double seconds, double loss, long tokens) {
    }

    /** A {@code sample} event: text the model wrote after {@code step} steps, from the text's first token. */
    record Sample(long step, double seconds, String text) {
    }

    /** The {@code done} event. */
    record Done(long steps, long tokens, double trainingSeconds, double tokensPerSecond, double loss,
                double startBitsPerChar, double heldOutBitsPerChar, int heldOutCharacters, String sample) {
    }

    @Override
    public Done execute(TrainTextParams params, RunContext context) {
        String text = params.source();
        String trainingText = params.trainingText();
        String heldOut = params.heldOutText();
        OwnTokenizer tokenizer = OwnTokenizer.of(params.tokenizer(), text, trainingText);
        int[] tokens = tokenizer.encode(trainingText);
        int[] heldOutTokens = tokenizer.encode(heldOut);
        int heldOutCharacters = heldOut.codePointCount(0, heldOut.length());
        int[] snippet = Arrays.copyOf(tokens, Math.min(SNIPPET_TOKENS, tokens.length));
        try (TinyGptTraining gpt = new TinyGptTraining(tokenizer.vocabulary(), tokens, params.seed(), tensorflowThreads)) {
            GptConfig config = gpt.config();
            double startBits;
            try (GptModel untrained = gpt.snapshot()) {
                startBits = Surprisal.score(untrained, heldOutTokens, heldOutCharacters).bitsPerChar();
            }
            context.emit("setup", new Setup(tokenizer.name(), tokenizer.vocabulary(), List.of(tokenizer.readable()),
                    config.description(), config.parameterCount(), trainingText.codePointCount(0, trainingText.length()),
                    heldOutCharacters, tokens.length, heldOutTokens.length,
                    Arrays.stream(snippet).mapToObj(tokenizer::label).toList(), startBits, TinyGptTraining.BATCH,
                    config.context()));
            // the clock starts once the model is built and scored untrained: seconds are training time
            long start = System.nanoTime();
            long deadline = start + params.seconds() * 1_000_000_000L;
            Progress progress = new Progress();
            long metricEvery = (deadline - start) / METRICS;
            long snapshotEvery = (deadline - start) / SNAPSHOTS;
            try {
                long nextMetric = start;
                long metricStep = -1;
                long nextSnapshot = start;
                while (progress.steps == 0 || System.nanoTime() < deadline) {
                    context.checkCancelled();
                    long now = System.nanoTime();
                    if (now >= nextSnapshot && now < deadline - snapshotEvery / 2
                            && progress.snapshotNanos <= SNAPSHOT_SHARE * (now - start)) {
                        snapshot(gpt, tokenizer, snippet, progress, seconds(start), params.seed(), context);
                        progress.snapshotNanos += System.nanoTime() - now;
                        nextSnapshot = Math.max(nextSnapshot, System.nanoTime()) + snapshotEvery;
                    }
                    long t0 = System.nanoTime();
                    progress.loss = gpt.step((double) (t0 - start) / (deadline - start));
                    progress.steps = gpt.steps();
                    progress.trainingNanos += System.nanoTime() - t0;
                    progress.tokens += gpt.tokensPerStep();
                    if (System.nanoTime() >= nextMetric) {
                        context.emit("metric", new Metric(progress.steps, seconds(start), progress.loss, progress.tokens));
                        metricStep = progress.steps;
                        nextMetric = Math.max(nextMetric, System.nanoTime()) + metricEvery;
                    }
                }
                if (metricStep != progress.steps) {   // the curve ends at the last step, once (one point per step)
                    context.emit("metric", new Metric(progress.steps, seconds(start), progress.loss, progress.tokens));
                }
                String sample = snapshot(gpt, tokenizer, snippet, progress, seconds(start), params.seed(), context);
                GptModel model = gpt.snapshot();
                double bits = Surprisal.score(model, heldOutTokens, heldOutCharacters).bitsPerChar();
                trained.keep(context.runId(), new TrainedTexts.Trained(model, tokenizer, new int[] {tokens[0]}));
                double trainingSeconds = progress.trainingNanos / 1e9;
                return new Done(progress.steps, progress.tokens, trainingSeconds, progress.tokens / Math.max(1e-9, trainingSeconds),
                        progress.loss, startBits, bits, heldOutCharacters, sample);
            } catch (RunCancelledException stopped) {
                // stopped is not lost: what it learned so far stays usable on the page
                trained.keep(context.runId(), new TrainedTexts.Trained(gpt.snapshot(), tokenizer, new int[] {tokens[0]}));
                throw stopped;
            }
        }
    }

    /** Steps, tokens and training time so far, and the last step's loss. */
    private static final class Progress {
        long steps;
        long tokens;
        long trainingNanos;
        long snapshotNanos;
        double loss = Double.NaN;
    }

    /** Emits a sample and the attention on the snippet from the weights as they are now; returns the sample. */
    private static String snapshot(TinyGptTraining training, OwnTokenizer tokenizer, int[] snippet, Progress progress,
                                   double seconds, long seed, RunContext context) {
        try (GptModel model = training.snapshot()) {
            int count = tokenizer.name().equals("char") ? 120 : 50;
            // the same draws at every snapshot, so samples differ only by what the model learned
            int[] written = Writer.write(model, new int[] {snippet[0]}, count, 0.8, new Random(seed));
            String text = tokenizer.show(new int[] {snippet[0]}) + tokenizer.show(written);
            context.emit("sample", new Sample(progress.steps, seconds, text));
            context.emit("attention", AttentionPattern.of(model, snippet, progress.steps, seconds));
            return text;
        }
    }

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }
}
