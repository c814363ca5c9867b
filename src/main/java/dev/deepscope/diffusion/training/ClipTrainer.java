package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Captions;
import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.mnist.DigitAugmentation;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.MnistDigits;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Contrastive training of the tiny CLIP on (training digit, random caption of its label) pairs.
 * Pairs of the same digit in a batch count as matches (targets spread over them), so two sevens with
 * different captions are not pushed apart — with ten classes, a batch of 128 always has such pairs.
 */
public final class ClipTrainer {

    public record Plan(long seed, int steps, int batchSize, float learningRate, DigitAugmentation augmentation) {
        public static Plan shipped() {
            return new Plan(20261128L, 1500, 128, 1e-3f, new DigitAugmentation(10, 0.1, 2));
        }

        public Plan withSteps(int steps) {
            return new Plan(seed, steps, batchSize, learningRate, augmentation);
        }
    }

    public record Outcome(List<Float> losses, double zeroShotAccuracy, double singlePromptAccuracy) {
    }

    private ClipTrainer() {
    }

    public static Outcome train(ClipModel clip, Plan plan, MnistDigits data, Consumer<LossLog.Progress> progress) {
        Random random = new Random(plan.seed());
        List<LabelledDigit> training = data.training();
        LossLog log = new LossLog(100, progress);
        for (int step = 1; step <= plan.steps(); step++) {
            int n = plan.batchSize();
            float[][] pixels = new float[n][];
            int[][] tokens = new int[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                LabelledDigit d = training.get(random.nextInt(training.size()));
                pixels[i] = plan.augmentation().distort(d.pixels(), random);
                tokens[i] = Vocabulary.encode(Captions.random(d.label(), random));
                labels[i] = d.label();
            }
            log.add(clip.trainStep(pixels, tokens, pairTargets(labels)));
        }
        return new Outcome(log.losses(), zeroShotAccuracy(clip, data.validation(), true),
                zeroShotAccuracy(clip, data.validation(), false));
    }

    /** T_ij = [label_i = label_j] / #{k : label_k = label_i}: each row a distribution over matches. */
    static float[][] pairTargets(int[] labels) {
        float[][] t = new float[labels.length][labels.length];
        for (int i = 0; i < labels.length; i++) {
            int count = 0;
            for (int label : labels) {
                count += label == labels[i] ? 1 : 0;
            }
            for (int j = 0; j < labels.length; j++) {
                t[i][j] = labels[j] == labels[i] ? 1f / count : 0f;
            }
        }
        return t;
    }

    /**
     * Zero-shot classification: each digit becomes a text embedding (the mean of all its captions when
     * {@code ensemble}, else "a handwritten w"); an image is the digit whose text is most similar.
     */
    public static double zeroShotAccuracy(ClipModel clip, List<LabelledDigit> digits, boolean ensemble) {
        float[][] classes = classEmbeddings(clip, ensemble);
        int correct = 0;
        for (int from = 0; from < digits.size(); from += 500) {
            List<LabelledDigit> batch = digits.subList(from, Math.min(digits.size(), from + 500));
            float[][] images = clip.embedImages(batch.stream().map(LabelledDigit::pixels).toArray(float[][]::new));
            for (int i = 0; i < batch.size(); i++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    double s = VectorMath.dot(images[i], classes[c]);
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                correct += best == batch.get(i).label() ? 1 : 0;
            }
        }
        return (double) correct / digits.size();
    }

    static float[][] classEmbeddings(ClipModel clip, boolean ensemble) {
        float[][] classes = new float[10][];
        for (int digit = 0; digit < 10; digit++) {
            final int d = digit;
            String[] texts = ensemble
                    ? java.util.stream.IntStream.range(0, Captions.templateCount())
                            .mapToObj(t -> Captions.caption(d, t)).toArray(String[]::new)
                    : new String[] {Captions.forDigit(d)};
            float[] mean = new float[ClipModel.WIDTH];
            for (ClipModel.TextEncoding e : clip.encodeTexts(texts)) {
                for (int c = 0; c < mean.length; c++) {
                    mean[c] += e.embedding()[c];
                }
            }
            double norm = Math.sqrt(VectorMath.dot(mean, mean));
            for (int c = 0; c < mean.length; c++) {
                mean[c] /= (float) norm;
            }
            classes[d] = mean;
        }
        return classes;
    }
}
