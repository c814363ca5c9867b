package dev.deepscope.digits.training;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.mnist.DigitAugmentation;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.OfficialMnist;
import dev.deepscope.models.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The training command for chapter 1's models (see README):
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.digits.training.TrainDigitModels -Dexec.args="all"}.
 * Trains on the official MNIST training set (55,000 digits, 5,000 held out for validation), then measures
 * the finished model once on the official 10,000 test digits — reported in the manifest, never used for a
 * choice. Writes {@code src/main/resources/models/<name>/} with the checkpoint and its manifest.
 * Arguments: model names or "all", then optionally {@code --epochs N M} (main and fine-tuning epochs),
 * {@code --augment degrees,scale,shift,stroke,alpha,sigma} (see {@link DigitAugmentation}), {@code --seed N}, {@code --dropout P} (the CNN's, before its dense layers), {@code --out DIR} and
 * {@code --fine-tune-from DIR}: skip the main phase and fine-tune the checkpoint it saved in DIR (its path is
 * printed), to finish an interrupted run, or the folder of a finished model (it has a manifest) to continue
 * it for the fine-tuning epochs; its manifest's steps and figures are carried into the new one.
 */
public final class TrainDigitModels {

    public static void main(String[] args) {
        Path out = Path.of("src/main/resources/models");
        int[] epochs = null;
        Long seed = null;
        Float dropout = null;
        DigitAugmentation augmentation = null;
        Path mainPhase = null;
        List<DigitArchitecture> models = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--fine-tune-from" -> mainPhase = Path.of(args[++i]);
                case "--dropout" -> dropout = Float.parseFloat(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--epochs" -> epochs = new int[] {Integer.parseInt(args[++i]), Integer.parseInt(args[++i])};
                case "--augment" -> {
                    double[] a = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                    augmentation = new DigitAugmentation(a[0], a[1], a[2], a[3], a[4], a[5]);
                }
                case "all" -> models.addAll(DigitArchitecture.ALL);
                default -> models.add(DigitArchitecture.named(args[i])
                        .orElseThrow(() -> new IllegalArgumentException("unknown model; known: mlp-sigmoid, mlp-relu, cnn, all")));
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse());
        OfficialMnist.TrainingSplit data = OfficialMnist.training(OfficialMnist.TRAINING_DIR);
        List<LabelledDigit> test = OfficialMnist.test();
        System.out.println(data.description());
        for (DigitArchitecture architecture : models) {
            DigitTrainer.Plan plan = DigitTrainer.Plan.shipped(architecture);
            if (epochs != null) {
                plan = plan.withEpochs(epochs[0], epochs[1]);
            }
            if (seed != null) {
                plan = plan.withSeed(seed);
            }
            if (dropout != null) {
                plan = plan.withDropout(dropout);
            }
            if (augmentation != null) {
                plan = plan.withAugmentation(augmentation);
            }
            train(plan, data, test, out.resolve(architecture.name()), mainPhase);
        }
    }

    static void train(DigitTrainer.Plan plan, OfficialMnist.TrainingSplit data, List<LabelledDigit> test, Path dir,
                      Path mainPhase) {
        String name = plan.architecture().name();
        Consumer<DigitTrainer.Epoch> log = e -> System.out.printf(
                "%s epoch %d  steps %d  cost %.4f  validation accuracy %.4f  (%.0f s)%n",
                name, e.epoch(), e.steps(), e.meanCost(), e.validationAccuracy(), e.seconds());
        long mainSteps = (long) plan.epochs() * (data.training().size() / plan.batchSize());
        // a finished model (it has a manifest) is continued: its steps count, and the new manifest says so
        JsonNode before = mainPhase != null && Files.exists(mainPhase.resolve(ModelManifest.FILE))
                ? ModelManifest.read(mainPhase) : null;
        if (before != null) {
            mainSteps = before.path("steps").asLong();
        }
        Path phase = mainPhase;
        if (phase == null) {
            phase = temporaryDir();
            try (DigitNetwork network = DigitNetwork.forTraining(plan.architecture(), plan.seed(), plan.learningRate(),
                    plan.dropout())) {
                mainSteps = DigitTrainer.train(network, plan, data.training(), data.validation(), log).steps();
                network.save(phase);
            }
            System.out.println(name + ": main phase saved in " + phase);
        }
        DigitTrainer.Plan fineTuning = plan.fineTuning();
        try (DigitNetwork network = DigitNetwork.resumeTraining(plan.architecture(), phase, fineTuning.learningRate(),
                fineTuning.dropout())) {
            DigitTrainer.Outcome second = DigitTrainer.train(network, fineTuning, data.training(), data.validation(), log);
            network.save(dir);
            DigitTrainer.Outcome last = second;
            double testAccuracy = DigitTrainer.accuracy(network, test);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("testAccuracy", testAccuracy);
            metrics.put("testSet", "official MNIST test set, " + test.size() + " digits");
            metrics.put("validationAccuracy", last.validationAccuracy());
            metrics.put("trainingCost", last.epochs().get(last.epochs().size() - 1).meanCost());
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("model", name);
            manifest.put("architecture", plan.architecture().description());
            manifest.put("parameters", network.parameterCount());
            manifest.put("data", data.description());
            manifest.put("split", Map.of("training", data.training().size(), "validation", data.validation().size(),
                    "test", test.size(), "rule", "validation = index % 12 == 11 of the 60,000 training digits"));
            manifest.put("seed", plan.seed());
            manifest.put("steps", mainSteps + second.steps());
            manifest.put("epochs", before == null ? Map.of("main", plan.epochs(), "fineTuning", fineTuning.epochs())
                    : Map.of("before", before.path("epochs"), "continuation", fineTuning.epochs()));
            if (before != null) {
                manifest.put("continuedFrom", Map.of("steps", before.path("steps"), "optimizer", before.path("optimizer"),
                        "augmentation", before.path("augmentation"), "dropout", before.path("dropout").asString("none"),
                        "metrics", before.path("metrics"), "sha256", before.path("sha256"),
                        "note", "continued at the fine-tuning rate, with the fine-tuning augmentation and this dropout"));
            }
            manifest.put("batchSize", plan.batchSize());
            manifest.put("optimizer", before == null
                    ? "Adam, learning rate " + plan.learningRate() + ", then " + fineTuning.learningRate()
                    : "Adam (state restored), learning rate " + fineTuning.learningRate());
            manifest.put("augmentation", before == null
                    ? Map.of("main", plan.augmentation(), "fineTuning", fineTuning.augmentation())
                    : Map.of("continuation", fineTuning.augmentation()));
            manifest.put("dropout", plan.dropout() == 0 ? "none" : plan.dropout()
                    + " before each dense layer, training graph only" + (before == null ? ", both phases" : ""));
            manifest.put("metrics", metrics);
            manifest.put("sha256", ModelManifest.sha256(dir));
            manifest.put("tensorflow", Devices.tensorflowVersion());
            manifest.put("trainedAt", Instant.now().toString());
            ModelManifest.write(dir, manifest);
            System.out.printf("%s: validation %.4f, official test %.4f after %d steps → %s%n",
                    name, last.validationAccuracy(), testAccuracy, mainSteps + second.steps(), dir);
        }
    }

    private static Path temporaryDir() {
        try {
            return Files.createTempDirectory("deepscope-digits-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
