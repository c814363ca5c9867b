package dev.deepscope.digits;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training command for chapter 1's models (see README):
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.digits.TrainDigitModels -Dexec.args="all"}.
 * Writes {@code src/main/resources/models/<name>/} with the checkpoint and its manifest.
 * Arguments: model names or "all", then optionally {@code --epochs N} and {@code --out DIR}.
 */
public final class TrainDigitModels {

    public static void main(String[] args) {
        Path out = Path.of("src/main/resources/models");
        Integer epochs = null;
        List<DigitArchitecture> models = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "all" -> models.addAll(DigitArchitecture.ALL);
                default -> models.add(DigitArchitecture.named(args[i])
                        .orElseThrow(() -> new IllegalArgumentException("unknown model; known: mlp-sigmoid, mlp-relu, cnn, all")));
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse());
        MnistDigits data = MnistDigits.load();
        System.out.println(data.description());
        for (DigitArchitecture architecture : models) {
            DigitTrainer.Plan plan = DigitTrainer.Plan.shipped(architecture);
            if (epochs != null) {
                plan = plan.withEpochs(epochs);
            }
            train(plan, data, out.resolve(architecture.name()));
        }
    }

    static void train(DigitTrainer.Plan plan, MnistDigits data, Path dir) {
        String name = plan.architecture().name();
        try (DigitNetwork network = DigitNetwork.forTraining(plan.architecture(), plan.seed(), plan.learningRate())) {
            DigitTrainer.Outcome outcome = DigitTrainer.train(network, plan, data, e -> System.out.printf(
                    "%s epoch %d  steps %d  cost %.4f  validation accuracy %.4f  (%.0f s)%n",
                    name, e.epoch(), e.steps(), e.meanCost(), e.validationAccuracy(), e.seconds()));
            network.save(dir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validationAccuracy", outcome.validationAccuracy());
            metrics.put("trainingCost", outcome.epochs().get(outcome.epochs().size() - 1).meanCost());
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("model", name);
            manifest.put("architecture", plan.architecture().description());
            manifest.put("parameters", network.parameterCount());
            manifest.put("data", data.description());
            manifest.put("split", Map.of("training", data.training().size(), "validation", data.validation().size(),
                    "rule", "validation = index % 10 == 9 within each digit"));
            manifest.put("seed", plan.seed());
            manifest.put("steps", outcome.steps());
            manifest.put("epochs", plan.epochs());
            manifest.put("batchSize", plan.batchSize());
            manifest.put("optimizer", "Adam, learning rate " + plan.learningRate());
            manifest.put("augmentation", plan.augmentation());
            manifest.put("metrics", metrics);
            manifest.put("sha256", Checkpoint.sha256(dir));
            manifest.put("tensorflow", Devices.tensorflowVersion());
            manifest.put("trainedAt", Instant.now().toString());
            ModelManifest.write(dir, manifest);
            System.out.printf("%s: validation accuracy %.4f after %d steps → %s%n",
                    name, outcome.validationAccuracy(), outcome.steps(), dir);
        }
    }
}
