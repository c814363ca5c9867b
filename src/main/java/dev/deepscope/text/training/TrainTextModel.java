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
 * Options: {@code --steps N}, {@code --vocabulary N}, {@code --out DIR}.
 */
public final class TrainTextModel {

    public static void main(String[] args) throws Exception {
        Path out = Path.of("src/main/resources/models/gpt");
        int steps = 3000;
        int vocabulary = 1024;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--vocabulary" -> vocabulary = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse()
                + ", TF_XLA_FLAGS=" + System.getenv("TF_XLA_FLAGS"));
        System.out.println(MobyDick.description());
        String training = MobyDick.training();
        long t0 = System.nanoTime();
        BytePairEncoding tokenizer = BytePairEncoding.train(training, vocabulary);
        int[] tokens = tokenizer.encode(training);
        System.out.printf("tokenizer: %d tokens learned in %.1f s; training text = %d tokens (%.2f characters per token)%n",
                tokenizer.vocabularySize(), (System.nanoTime() - t0) / 1e9, tokens.length,
                (double) training.length() / tokens.length);
        GptTrainer.Plan plan = GptTrainer.Plan.shipped(GptConfig.small(tokenizer.vocabularySize()), steps);
        Files.createDirectories(out);
        tokenizer.save(out.resolve(TextModelFiles.TOKENIZER));
        try (GptTraining model = new GptTraining(plan.config(), plan.seed(), plan.weightDecay(), plan.clipNorm())) {
            int tokensPerStep = plan.batchSize() * plan.config().context();
            double finalLoss = GptTrainer.train(model, plan, tokens, p -> {
                if (p.step() % 50 == 0 || p.step() == 1) {
                    System.out.printf("step %d  loss %.4f nats (%.3f bits/token)  |g| %.2f  lr %.5f  %.0f s  %.0f tokens/s%n",
                            p.step(), p.loss(), p.loss() / Math.log(2), p.gradientNorm(), p.learningRate(), p.seconds(),
                            p.step() * tokensPerStep / p.seconds());
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (GptModel trained = GptModel.fromWeights(plan.config(), model.weights())) {
                trained.save(out);
                Surprisal.Scored heldOut = Surprisal.score(trained, tokenizer, MobyDick.heldOut());
                System.out.printf("held out: %.4f bits per character, %.4f bits per token%n",
                        heldOut.bitsPerChar(), heldOut.bitsPerToken());
                writeManifest(out, plan, tokenizer, trained, tokens.length, finalLoss, heldOut, seconds);
            }
        }
    }

    private static void writeManifest(Path out, GptTrainer.Plan plan, BytePairEncoding tokenizer, GptModel model,
                                      int trainingTokens, double finalLoss, Surprisal.Scored heldOut, double seconds)
            throws IOException {
        int tokensPerStep = plan.batchSize() * plan.config().context();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("heldOutBitsPerChar", heldOut.bitsPerChar());
        metrics.put("heldOutBitsPerToken", heldOut.bitsPerToken());
        metrics.put("trainingLossNats", finalLoss);
        metrics.put("trainingTokensPerSecond", (double) plan.steps() * tokensPerStep / seconds);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("model", TextModelFiles.NAME);
        manifest.put("architecture", plan.config().description());
        manifest.put("config", plan.config());
        manifest.put("parameters", model.parameterCount());
        manifest.put("tokenizer", "our byte-level BPE, " + tokenizer.vocabularySize() + " tokens, learned on the training chapters");
        manifest.put("data", MobyDick.description());
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
