package dev.deepscope.diffusion.training;

import dev.deepscope.diffusion.Captions;
import dev.deepscope.diffusion.PropertyCaptions;
import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.mnist.LabelledDigit;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Contrastive training of the tiny CLIP on (training digit, random caption of it) pairs, the captions naming
 * measured properties besides the digit ({@link PropertyCaptions}). Every caption in a batch that fits an image
 * counts as a match (targets spread over them): "a 7" fits every seven, "a bold 7" only the bold ones, so two
 * sevens with different captions are not pushed apart while a thin seven and "a bold 7" are.
 */
public final class ClipTrainer {

    public record Plan(long seed, int steps, int batchSize, float learningRate) {
        public static Plan shipped() {
            return new Plan(20261130L, 3000, 128, 1e-3f);
        }

        public Plan withSteps(int steps) {
            return new Plan(seed, steps, batchSize, learningRate);
        }
    }

    public record Outcome(List<Float> losses, double zeroShotAccuracy, double singlePromptAccuracy) {
    }

    private ClipTrainer() {
    }

    /**
     * Trains {@code clip} on {@code training}; the zero-shot accuracies are measured on {@code validation}.
     */
    public static Outcome train(ClipModel clip, Plan plan, CaptionedDigits training, List<LabelledDigit> validation,
                                Consumer<LossLog.Progress> progress) {
        Random random = new Random(plan.seed());
        LossLog log = new LossLog(100, progress);
        for (int step = 1; step <= plan.steps(); step++) {
            int n = plan.batchSize();
            float[][] pixels = new float[n][];
            int[][] tokens = new int[n][];
            int[] picked = new int[n];
            PropertyCaptions.Caption[] captions = new PropertyCaptions.Caption[n];
            for (int i = 0; i < n; i++) {
                picked[i] = random.nextInt(training.size());
                pixels[i] = training.pixels().get(picked[i]);
                captions[i] = training.caption(picked[i], random);
                tokens[i] = Vocabulary.encode(captions[i].text());
            }
            boolean[][] fits = new boolean[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    fits[i][j] = captions[j].fits(training.labels()[picked[i]], training.levels()[picked[i]]);
                }
            }
            log.add(clip.trainStep(pixels, tokens, fits));
        }
        return new Outcome(log.losses(), zeroShotAccuracy(clip, validation, true),
                zeroShotAccuracy(clip, validation, false));
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
