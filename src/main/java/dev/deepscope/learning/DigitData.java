package dev.deepscope.learning;

import dev.deepscope.engine.learning.LabelledImages;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.mnist.MnistDigits;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chapter 1's digits and split, in the block form training graphs take. Two fixed samples of the training
 * digits make curves comparable between runs: the cost every metric reports (1,000 digits) and the cost the
 * landscape is drawn from (500 digits). A learner's own drawings ({@link #ofDrawings}) are few, so there
 * both samples are every training drawing.
 */
public final class DigitData {

    private final LabelledImages training;
    private final LabelledImages validation;
    private final int[] costSample;
    private final LabelledImages landscapeSample;

    private DigitData(LabelledImages training, LabelledImages validation, int[] costSample,
                      LabelledImages landscapeSample) {
        this.training = training;
        this.validation = validation;
        this.costSample = costSample;
        this.landscapeSample = landscapeSample;
    }

    public static DigitData load() {
        return of(MnistDigits.load());
    }

    public static DigitData of(MnistDigits digits) {
        LabelledImages training = block(digits.training());
        int n = training.size();
        return new DigitData(training, block(digits.validation()),
                IntStream.range(0, n).filter(i -> i % (n / 1000) == 0).limit(1000).toArray(),
                block(IntStream.range(0, n).filter(i -> i % (n / 500) == 0).limit(500)
                        .mapToObj(digits.training()::get).toList()));
    }

    /** A learner's drawings: trained on {@code training}, accuracy on {@code heldOut}, C on every training drawing. */
    static DigitData ofDrawings(LabelledImages training, LabelledImages heldOut) {
        return new DigitData(training, heldOut, IntStream.range(0, training.size()).toArray(), training);
    }

    public LabelledImages training() {
        return training;
    }

    public LabelledImages validation() {
        return validation;
    }

    /** Indices of the 1,000 training digits whose cost C every metric event reports. */
    public int[] costSample() {
        return costSample;
    }

    public LabelledImages landscapeSample() {
        return landscapeSample;
    }

    private static LabelledImages block(List<LabelledDigit> digits) {
        float[] pixels = new float[digits.size() * 784];
        int[] labels = new int[digits.size()];
        for (int i = 0; i < digits.size(); i++) {
            System.arraycopy(digits.get(i).pixels(), 0, pixels, i * 784, 784);
            labels[i] = digits.get(i).label();
        }
        return new LabelledImages(pixels, labels);
    }
}
