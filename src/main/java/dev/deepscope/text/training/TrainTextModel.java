package dev.deepscope.text.training;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.GptTraining;
import dev.deepscope.models.ModelManifest;
import dev.deepscope.text.BytePairEncoding;
import dev.deepscope.text.Surprisal;
import dev.deepscope.text.TextModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training command for chapter 3's small GPT (see README):
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.text.training.TrainTextModel -Dexec.args="--steps 3000"}.
 * Learns the tokenizer and the transformer on chapters 1–130 and writes {@code src/main/resources/models/gpt/}:
 * {@code tokenizer.json}, the checkpoint and {@code manifest.json} with the held-out bits per character.
 * Options: {@code --steps N}, {@code --vocabulary N}, {@code --out DIR}, {@code --dropout P}, {@code --weight-decay λ},
 * {@code --lr η} (peak), and {@code --validate}: a trial for choosing settings, which trains on chapters 1–120 only,
 * scores chapters 121–130 every {@code --eval-every N} steps, never reads the held-out chapters and writes to
 * {@code target/gpt-validation} unless {@code --out} says otherwise; {@code --keep-best}: also trains on 1–120 and
 * scores 121–130 every N steps, but keeps the weights that scored best there and then scores the held-out
 * chapters once, for those weights only. The tokenizer is always learned on 1–130.
 */
public final class TrainTextModel {

    public static void main(String[] args) throws Exception {
        Path out = Path.of("src/main/resources/models/gpt");
        int steps = 3000;
        int vocabulary = 1024;
        Float dropout = null;
        Float weightDecay = null;
        Float learningRate = null;
        boolean validate = false;
        boolean keepBest = false;
        boolean outGiven = false;
        int evalEvery = 250;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> {
                    out = Path.of(args[++i]);
                    outGiven = true;
                }
                case "--dropout" -> dropout = Float.parseFloat(args[++i]);
                case "--weight-decay" -> weightDecay = Float.parseFloat(args[++i]);
                case "--lr" -> learningRate = Float.parseFloat(args[++i]);
                case "--validate" -> validate = true;
                case "--keep-best" -> keepBest = true;
                case "--eval-every" -> evalEvery = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--vocabulary" -> vocabulary = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse()
                + ", TF_XLA_FLAGS=" + System.getenv("TF_XLA_FLAGS"));
        if (validate && !outGiven) {
            out = Path.of("target/gpt-validation");
        }
        System.out.println(MobyDick.description());
        String training = MobyDick.training();
        long t0 = System.nanoTime();
        BytePairEncoding tokenizer = BytePairEncoding.train(training, vocabulary);
        if (validate || keepBest) {
            training = MobyDick.trainingWithoutValidation();
            System.out.println((validate ? "validation trial" : "keeping the weights best on validation")
                    + ": training on chapters 1–120, scoring chapters 121–130");
        }
        int[] tokens = tokenizer.encode(training);
        System.out.printf("tokenizer: %d tokens learned in %.1f s; training text = %d tokens (%.2f characters per token)%n",
                tokenizer.vocabularySize(), (System.nanoTime() - t0) / 1e9, tokens.length,
                (double) training.length() / tokens.length);
        GptTrainer.Plan shipped = GptTrainer.Plan.shipped(GptConfig.small(tokenizer.vocabularySize()), steps);
        GptTrainer.Plan plan = shipped.withRegularisation(dropout != null ? dropout : shipped.dropout(),
                weightDecay != null ? weightDecay : shipped.weightDecay(),
                learningRate != null ? learningRate : shipped.peakLearningRate());
        System.out.println(plan.optimizer());
        Files.createDirectories(out);
        tokenizer.save(out.resolve(TextModelFiles.TOKENIZER));
        boolean validating = validate || keepBest;
        int every = evalEvery;
        Best best = new Best();
        try (GptTraining model = new GptTraining(plan.config(), plan.seed(), plan.weightDecay(), plan.clipNorm(),
                plan.dropout())) {
            int tokensPerStep = plan.batchSize() * plan.config().context();
            double finalLoss = GptTrainer.train(model, plan, tokens, p -> {
                if (p.step() % 50 == 0 || p.step() == 1) {
                    System.out.printf("step %d  loss %.4f nats (%.3f bits/token)  |g| %.2f  lr %.5f  %.0f s  %.0f tokens/s%n",
                            p.step(), p.loss(), p.loss() / Math.log(2), p.gradientNorm(), p.learningRate(), p.seconds(),
                            p.step() * tokensPerStep / p.seconds());
                }
                if (validating && (p.step() % every == 0 || p.step() == plan.steps())) {
                    best.offer(p.step(), model.weights(), plan, tokenizer);
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (GptModel trained = GptModel.fromWeights(plan.config(), keepBest ? best.weights : model.weights())) {
                trained.save(out);
                Map<String, Object> metrics = new LinkedHashMap<>();
                if (validating) {
                    Surprisal.Scored scored = keepBest ? best.scored : best.last;
                    metrics.put("validationBitsPerChar", scored.bitsPerChar());
                    metrics.put("validationBitsPerToken", scored.bitsPerToken());
                }
                if (keepBest) {
                    System.out.printf("kept the weights of step %d (validation %.4f bits per character)%n",
                            best.step, best.scored.bitsPerChar());
                    metrics.put("keptStep", best.step);
                }
                if (!validate) {
                    Surprisal.Scored heldOut = Surprisal.score(trained, tokenizer, MobyDick.heldOut());
                    System.out.printf("held out: %.4f bits per character, %.4f bits per token%n",
                            heldOut.bitsPerChar(), heldOut.bitsPerToken());
                    metrics.put("heldOutBitsPerChar", heldOut.bitsPerChar());
                    metrics.put("heldOutBitsPerToken", heldOut.bitsPerToken());
                }
                writeManifest(out, plan, tokenizer, trained, tokens.length, finalLoss, metrics, validate, keepBest, seconds);
            }
        }
    }

    /** The validation score after each look, and the weights that scored best so far. */
    private static final class Best {
        long step;
        Map<String, float[]> weights;
        Surprisal.Scored scored;
        Surprisal.Scored last;

        void offer(long at, Map<String, float[]> now, GptTrainer.Plan plan, BytePairEncoding tokenizer) {
            try (GptModel model = GptModel.fromWeights(plan.config(), now)) {
                last = Surprisal.score(model, tokenizer, MobyDick.validation());
            }
            System.out.printf("step %d  validation %.4f bits per character, %.4f bits per token%n",
                    at, last.bitsPerChar(), last.bitsPerToken());
            if (scored == null || last.bitsPerChar() < scored.bitsPerChar()) {
                step = at;
                weights = now;
                scored = last;
            }
        }
    }

    private static void writeManifest(Path out, GptTrainer.Plan plan, BytePairEncoding tokenizer, GptModel model,
                                      int trainingTokens, double finalLoss, Map<String, Object> metrics,
                                      boolean validate, boolean keepBest, double seconds) throws IOException {
        int tokensPerStep = plan.batchSize() * plan.config().context();
        metrics.put("trainingLossNats", finalLoss);
        metrics.put("trainingTokensPerSecond", (double) plan.steps() * tokensPerStep / seconds);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("model", TextModelFiles.NAME);
        manifest.put("architecture", plan.config().description());
        manifest.put("config", plan.config());
        manifest.put("parameters", model.parameterCount());
        manifest.put("tokenizer", "our byte-level BPE, " + tokenizer.vocabularySize() + " tokens, learned on the training chapters");
        manifest.put("data", MobyDick.description() + (validate
                ? "; this is a validation trial: trained on chapters 1–120 only, scored on chapters 121–130"
                : keepBest ? "; trained on chapters 1–120, the weights kept are those best on chapters 121–130" : ""));
        manifest.put("validation", "settings are judged on runs that train on chapters 1–120 and score chapters"
                + " 121–130 (TrainTextModel --validate, --keep-best); the held-out chapters are scored only for the"
                + " final model");
        manifest.put("trainingTokens", trainingTokens);
        manifest.put("seed", plan.seed());
        manifest.put("steps", plan.steps());
        manifest.put("batchSize", plan.batchSize());
        manifest.put("optimizer", plan.optimizer());
        manifest.put("metrics", metrics);
        manifest.put("sha256", ModelManifest.sha256(out, TextModelFiles.TOKENIZER));
        manifest.put("tensorflow", Devices.tensorflowVersion());
        manifest.put("trainingSeconds", seconds);
        manifest.put("trainedAt", Instant.now().toString());
        ModelManifest.write(out, manifest);
        System.out.println("wrote " + out);
    }
}
