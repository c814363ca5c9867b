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
import dev.deepscope.models.ModelManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training command for chapter 4's models (see README), one model per call, in dependency order:
 * {@code clip} (the U-Nets read its text encoder), {@code vae}, {@code pixel-unet}, {@code latent-unet}
 * (reads the VAE). Example:
 * {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.diffusion.training.TrainGenerationModels -Dexec.args="clip"}.
 * Options: {@code --steps N} (shorter runs for trying things), {@code --out DIR} (default
 * {@code src/main/resources/models}). Every run is seeded: the same command gives the same checkpoint
 * (up to floating-point summation order across threads).
 */
public final class TrainGenerationModels {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) {
        Path out = Path.of("src/main/resources/models");
        Integer steps = null;
        String model = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> model = args[i];
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse());
        MnistDigits data = MnistDigits.load();
        System.out.println(data.description());
        switch (model == null ? "" : model) {
            case "clip" -> trainClip(data, out.resolve("clip"), steps);
            case "vae" -> trainVae(data, out.resolve("vae"), steps);
            case "pixel-unet" -> trainUNet(UNetArchitecture.PIXEL, data, out, steps);
            case "latent-unet" -> trainUNet(UNetArchitecture.LATENT, data, out, steps);
            default -> throw new IllegalArgumentException("name one model: clip, vae, pixel-unet, latent-unet");
        }
    }

    static void trainClip(MnistDigits data, Path dir, Integer steps) {
        ClipTrainer.Plan plan = steps == null ? ClipTrainer.Plan.shipped() : ClipTrainer.Plan.shipped().withSteps(steps);
        try (ClipModel clip = ClipModel.forTraining(plan.seed(), plan.learningRate())) {
            ClipTrainer.Outcome outcome = ClipTrainer.train(clip, plan, data, p -> System.out.printf(
                    "clip step %d  loss %.4f  (%.0f s)%n", p.step(), p.meanLoss(), p.seconds()));
            clip.save(dir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("zeroShotAccuracy", outcome.zeroShotAccuracy());
            metrics.put("zeroShotAccuracySinglePrompt", outcome.singlePromptAccuracy());
            metrics.put("finalLoss", tail(outcome.losses()));
            Map<String, Object> manifest = manifest("clip",
                    "text: word tokens → 1 transformer block (width 64); image: 2 strided 3×3 convs → dense 128; "
                            + "both → unit vectors in 64 dimensions", clip.parameterCount(), data, plan.seed(),
                    plan.steps(), plan.batchSize(), "Adam, learning rate " + plan.learningRate(), dir, metrics);
            manifest.put("captions", Captions.TEMPLATES);
            manifest.put("zeroShot", "validation digits; class text = mean embedding of the digit's captions "
                    + "(single prompt: 'a handwritten <word>')");
            manifest.put("augmentation", plan.augmentation());
            ModelManifest.write(dir, manifest);
            System.out.printf("clip: zero-shot accuracy %.4f (single prompt %.4f) → %s%n",
                    outcome.zeroShotAccuracy(), outcome.singlePromptAccuracy(), dir);
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
     * latent one learns on μ(x)/σ_z from the trained VAE in {@code out/vae}.
     */
    static void trainUNet(UNetArchitecture architecture, MnistDigits data, Path out, Integer steps) {
        DiffusionTrainer.Plan plan = DiffusionTrainer.Plan.shipped(architecture);
        if (steps != null) {
            plan = plan.withSteps(steps);
        }
        Path dir = out.resolve(architecture.name());
        float[][] pixels = data.training().stream().map(LabelledDigit::pixels).toArray(float[][]::new);
        int[] labels = data.training().stream().mapToInt(LabelledDigit::label).toArray();
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
            List<Float> losses = DiffusionTrainer.train(unet, plan, examples, labels, clip, p -> System.out.printf(
                    "%s step %d  loss %.4f  (%.0f s)%n", architecture.name(), p.step(), p.meanLoss(), p.seconds()));
            unet.save(dir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("finalLoss", tail(losses));
            Map<String, Object> manifest = manifest(architecture.name(), architecture.description(),
                    unet.parameterCount(), data, plan.seed(), plan.steps(), plan.batchSize(),
                    "Adam, learning rate " + plan.learningRate(), dir, metrics);
            manifest.putAll(space);
            manifest.put("schedule", "linear β from 1e-4 to 0.02, T = 1000");
            manifest.put("conditionDropout", plan.dropCondition());
            manifest.put("weights", "exponential moving average of the training weights, decay " + plan.averageDecay());
            manifest.put("condition", "CLIP text encoding of a random caption of the digit (see models/clip)");
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("architecture", architecture);
        m.put("parameters", parameters);
        m.put("data", data.description());
        m.put("split", Map.of("training", data.training().size(), "validation", data.validation().size(),
                "rule", "validation = index % 10 == 9 within each digit"));
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
