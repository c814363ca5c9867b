package dev.deepscope.engine.learning;

import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fully connected digit network as chapter 2 trains it: 784 pixels → hidden layers → 10 outputs (or one
 * output per class of a learner's own drawings, 2..10). Hidden neurons use the chosen activation; the output
 * neurons are sigmoids, so each output is an activation in (0, 1) and the cost is the series' sum of squared
 * differences.
 */
public record MlpShape(List<Integer> hidden, Activation activation, int outputs) {

    public MlpShape {
        hidden = List.copyOf(hidden);
    }

    /** A digit network: 10 outputs, one per digit. */
    public MlpShape(List<Integer> hidden, Activation activation) {
        this(hidden, activation, DigitArchitecture.DIGITS);
    }

    /** Neurons per layer, input first: e.g. [784, 16, 16, 10]. */
    public int[] widths() {
        List<Integer> all = new ArrayList<>();
        all.add(DigitArchitecture.PIXELS);
        all.addAll(hidden);
        all.add(outputs);
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of weight matrices (= layers after the input). */
    public int depth() {
        return hidden.size() + 1;
    }

    public long parameterCount() {
        int[] w = widths();
        long count = 0;
        for (int l = 1; l < w.length; l++) {
            count += (long) w[l - 1] * w[l] + w[l];
        }
        return count;
    }

    /** "784-16-16-10" */
    public String describe() {
        return java.util.Arrays.stream(widths()).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }
}
