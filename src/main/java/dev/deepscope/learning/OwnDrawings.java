package dev.deepscope.learning;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.learning.LabelledImages;
import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A learner's own small data set, drawn on the /learning pad: 2..10 classes they named (digits or invented
 * symbols) and their drawings, each 784 intensities preprocessed as the /digits pad does. It travels in a train
 * run's params, so the run's share link and "rerun" have it. Pixels are kept to 3 decimals (as the pad sends
 * them), which also bounds the stored params: 200 drawings are at most ~1 MB of JSON and ~0.4 MB as drawn
 * (a drawing is mostly 0s).
 */
@Schema(description = "Your own drawings: a train run on them instead of the MNIST digits")
public record OwnDrawings(
        @ArraySchema(minItems = OwnDrawings.MIN_CLASSES, maxItems = OwnDrawings.MAX_CLASSES,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "the classes' names, label i = classes[i]",
                        example = "[\"circle\", \"cross\", \"triangle\"]"),
                schema = @Schema(maxLength = OwnDrawings.MAX_NAME))
        List<String> classes,
        @ArraySchema(maxItems = OwnDrawings.MAX_DRAWINGS,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "at least "
                        + OwnDrawings.MIN_PER_CLASS + " drawings of each class"))
        List<Drawing> examples) {

    public static final int MIN_CLASSES = 2;
    public static final int MAX_CLASSES = 10;
    public static final int MAX_NAME = 24;
    public static final int MIN_PER_CLASS = 5;
    public static final int MAX_DRAWINGS = 200;
    /** One drawing in this many of each class (rounded down, at least one as a class has ≥ 5) is held out. */
    public static final int HOLD_OUT_ONE_IN = 5;

    /** One drawing: its class index and 784 intensities in 0..1, row by row, rounded to 3 decimals. */
    public record Drawing(
            @Schema(requiredMode = REQUIRED, description = "index into classes", minimum = "0") Integer label,
            @ArraySchema(minItems = 784, maxItems = 784,
                    arraySchema = @Schema(requiredMode = REQUIRED, description = "784 intensities as the pad makes them"),
                    schema = @Schema(minimum = "0", maximum = "1"))
            List<BigDecimal> pixels) {

        public Drawing {
            // 3 decimals, trailing zeros dropped: 0.5 and 0 are stored as "0.5" and "0", not "0.500" and "0.0"
            pixels = pixels == null ? null : pixels.stream()
                    .map(p -> p == null ? null : p.setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros()).toList();
        }
    }

    /** The drawings split for training: {@code heldOut} lists the examples' indices kept out, ascending. */
    record Split(LabelledImages training, LabelledImages heldOut, List<Integer> heldOutIndices) {
    }

    /** Rejects what cannot be trained on, naming the field inside {@code dataset}. */
    void validate() {
        if (classes == null || classes.size() < MIN_CLASSES || classes.size() > MAX_CLASSES) {
            throw new InvalidFieldException("classes", "must name " + MIN_CLASSES + ".." + MAX_CLASSES
                    + " classes, not " + (classes == null ? "none" : classes.size()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (name == null || name.isBlank() || name.length() > MAX_NAME) {
                throw new InvalidFieldException("classes[" + i + "]", "must be a name of 1.." + MAX_NAME + " characters");
            }
            // "Circle" and "circle" would be two classes a learner cannot tell apart in the answers
            if (!seen.add(name.strip().toLowerCase(java.util.Locale.ROOT))) {
                throw new InvalidFieldException("classes[" + i + "]", "names “" + name + "” twice: names must differ"
                        + " (not only in capitals)");
            }
        }
        if (examples == null || examples.isEmpty() || examples.size() > MAX_DRAWINGS) {
            throw new InvalidFieldException("examples", "must hold at most " + MAX_DRAWINGS + " drawings (and at least "
                    + MIN_PER_CLASS + " of each class), not "
                    + (examples == null ? "none" : examples.size()));
        }
        int[] counts = new int[classes.size()];
        for (int i = 0; i < examples.size(); i++) {
            Drawing d = examples.get(i);
            if (d == null) {
                throw new InvalidFieldException("examples[" + i + "]", "must be a drawing {label, pixels}");
            }
            if (d.label() == null || d.label() < 0 || d.label() >= classes.size()) {
                throw new InvalidFieldException("examples[" + i + "].label",
                        "must be a class index 0.." + (classes.size() - 1) + ", not " + d.label());
            }
            if (d.pixels() == null || d.pixels().size() != 784) {
                throw new InvalidFieldException("examples[" + i + "].pixels", "must hold exactly 784 numbers (28×28) in 0..1, not "
                        + (d.pixels() == null ? "none" : d.pixels().size()));
            }
            for (BigDecimal p : d.pixels()) {
                if (p == null || p.signum() < 0 || p.compareTo(BigDecimal.ONE) > 0) {
                    throw new InvalidFieldException("examples[" + i + "].pixels", "must be numbers in 0..1, not " + p);
                }
            }
            counts[d.label()]++;
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < MIN_PER_CLASS) {
                throw new InvalidFieldException("examples", "“" + classes.get(c) + "” has " + counts[c]
                        + " drawings: each class needs at least " + MIN_PER_CLASS);
            }
        }
    }

    /** How many drawings are trained on (the others are held out): what batch size m may be at most. */
    int trainingCount() {
        int[] counts = counts();
        int n = 0;
        for (int c : counts) {
            n += c - c / HOLD_OUT_ONE_IN;
        }
        return n;
    }

    /**
     * ⌊n/5⌋ drawings of each class held out, picked by a shuffle seeded with the run's seed (so a rerun holds
     * out the same ones); the rest, in the order given, are trained on.
     */
    Split split(long seed) {
        Random random = new Random(seed);
        Set<Integer> held = new HashSet<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> ofClass = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).label() == c) {
                    ofClass.add(i);
                }
            }
            Collections.shuffle(ofClass, random);
            held.addAll(ofClass.subList(0, ofClass.size() / HOLD_OUT_ONE_IN));
        }
        List<Integer> training = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (held.contains(i) ? heldOut : training).add(i);
        }
        return new Split(block(training), block(heldOut), heldOut);
    }

    private int[] counts() {
        int[] counts = new int[classes.size()];
        examples.forEach(d -> counts[d.label()]++);
        return counts;
    }

    private LabelledImages block(List<Integer> indices) {
        float[] pixels = new float[indices.size() * 784];
        int[] labels = new int[indices.size()];
        for (int r = 0; r < indices.size(); r++) {
            Drawing d = examples.get(indices.get(r));
            for (int k = 0; k < 784; k++) {
                pixels[r * 784 + k] = d.pixels().get(k).floatValue();
            }
            labels[r] = d.label();
        }
        return new LabelledImages(pixels, labels);
    }
}
