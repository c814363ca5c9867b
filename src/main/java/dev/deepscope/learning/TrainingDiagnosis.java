package dev.deepscope.learning;

import java.util.List;
import java.util.Locale;

/**
 * What a finished train run's own numbers say about it, in words a learner can act on: it learned, it is
 * stuck (the cost stopped falling while the network is still mostly wrong, or a whole layer of ReLUs died),
 * or it diverged (the cost became NaN/∞ or climbed well above its lowest point). Sent in the run's
 * {@code done} event, so the page and the API say the same.
 *
 * @param verdict {@code ok}, {@code stuck} or {@code diverging}
 * @param message one to three sentences for the page
 * @param neurons dead ReLUs and pinned outputs of the final network, on the 1,000 cost digits (own data: every training drawing)
 */
public record TrainingDiagnosis(String verdict, String message, NeuronCensus neurons) {

    /** The plateau test looks at the last quarter of the points, and at least this many. */
    static final int PLATEAU_POINTS = 10;
    /** "Stopped falling": C fell by less than this fraction over the plateau window. */
    static final double PLATEAU_FALL = 0.01;
    /** A plateau below this held-out accuracy is stuck; above it the network has simply converged. */
    static final double LEARNED_ACCURACY = 0.8;
    /** "Climbing": C ended this many times above its lowest point (and by at least {@link #RISE_ABSOLUTE}). */
    static final double RISE_FACTOR = 1.5;
    static final double RISE_ABSOLUTE = 0.05;

    /**
     * Judges a run from its metric points in order (at least one) and its final network's {@code neurons};
     * {@code widths} are the layer widths (784 first), {@code learningRate} the run's η and {@code suggested}
     * this activation's default η, for the advice.
     */
    static TrainingDiagnosis of(List<GradientDescent.Metric> metrics, NeuronCensus neurons, int[] widths,
                                double learningRate, double suggested) {
        return of(metrics, neurons, widths, learningRate, suggested, Examples.DIGITS);
    }

    /** What the network learned from, as the messages name it: "digits" and its cost sample, or own "drawings". */
    record Examples(String plural, String costSample) {
        static final Examples DIGITS = new Examples("digits", "1,000 cost digits");

        String singular() {
            return plural.substring(0, plural.length() - 1);
        }
    }

    static TrainingDiagnosis of(List<GradientDescent.Metric> metrics, NeuronCensus neurons, int[] widths,
                                double learningRate, double suggested, Examples examples) {
        GradientDescent.Metric first = metrics.get(0);
        GradientDescent.Metric last = metrics.get(metrics.size() - 1);
        String advice = learningRate > suggested
                ? " Try a smaller η (" + number(suggested) + " is a good start)."
                : " Try another η (" + number(suggested) + " is a good start) or another seed.";
        GradientDescent.Metric lowest = first;
        for (GradientDescent.Metric m : metrics) {
            if (!Double.isFinite(m.cost())) {
                return new TrainingDiagnosis("diverging", "Diverged: at step " + m.step() + " the cost became "
                        + (Double.isNaN(m.cost()) ? "not a number" : "infinite")
                        + " — the steps overshot so far that the numbers overflowed." + advice, neurons);
            }
            lowest = m.cost() < lowest.cost() ? m : lowest;
        }
        int[] dead = neurons.deadReLUs();
        for (int l = 0; dead != null && l < dead.length; l++) {
            if (dead[l] == widths[l + 1]) {
                return new TrainingDiagnosis("stuck", "Stuck: every ReLU of hidden layer " + (l + 1)
                        + " is dead (0 for all " + examples.costSample() + "), so no gradient flows through it and the"
                        + " network can never learn again; it answers the same whatever the " + examples.singular()
                        + " (C = " + cost(last) + ")."
                        + advice, neurons);
            }
        }
        String why = why(neurons, widths, examples);
        if (last.cost() > RISE_FACTOR * lowest.cost() && last.cost() - lowest.cost() > RISE_ABSOLUTE) {
            return new TrainingDiagnosis("diverging", "Diverging: the cost climbed from its lowest, C = " + cost(lowest)
                    + " at step " + lowest.step() + ", to C = " + cost(last) + " — each step overshoots the valley."
                    + why + advice, neurons);
        }
        int window = Math.max(PLATEAU_POINTS, metrics.size() / 4);
        boolean learned = last.accuracy() >= LEARNED_ACCURACY;
        if (metrics.size() > window && !learned) {
            GradientDescent.Metric before = metrics.get(metrics.size() - 1 - window);
            if ((before.cost() - last.cost()) / before.cost() < PLATEAU_FALL) {
                return new TrainingDiagnosis("stuck", "Stuck: the cost has not fallen by more than "
                        + percent(PLATEAU_FALL) + " over the last " + window + " points (C = " + cost(last) + ", "
                        + percent(last.accuracy()) + " of held-out " + examples.plural() + " right)." + why + advice, neurons);
            }
        }
        if (neurons.pinnedOutputs() == widths[widths.length - 1] && !learned) {
            return new TrainingDiagnosis("stuck", "Stuck (C = " + cost(last) + ", " + percent(last.accuracy())
                    + " of held-out " + examples.plural() + " right)." + why + advice, neurons);
        }
        // a network that learned and has every output near 0 or 1 is sure of its answers, not stuck: say that
        String sure = neurons.pinnedOutputs() == widths[widths.length - 1]
                ? " Its outputs are near 0 or 1 for every " + examples.singular() + ": it is sure of its answers"
                + " (where σ′(z) ≈ 0 it learns little more from them)." : "";
        return new TrainingDiagnosis("ok", "Learned: C fell from " + cost(first) + " to " + cost(last) + "; "
                + percent(last.accuracy()) + " of held-out " + examples.plural() + " right." + sure
                + deadReLUs(neurons, widths, examples), neurons);
    }

    /** The neurons that stopped passing gradient back, if any: why a network that did not learn is stuck. */
    private static String why(NeuronCensus neurons, int[] widths, Examples examples) {
        int outputs = widths[widths.length - 1];
        String pinned = neurons.pinnedOutputs() != outputs ? "" : " All " + outputs + " output neurons are pinned near 0"
                + " or 1 for every " + examples.singular() + ", where σ′(z) ≈ 0, so almost no gradient gets back.";
        return pinned + deadReLUs(neurons, widths, examples);
    }

    private static String deadReLUs(NeuronCensus neurons, int[] widths, Examples examples) {
        if (neurons.deadReLUs() == null) {
            return "";
        }
        int total = 0;
        int silent = 0;
        for (int l = 0; l < neurons.deadReLUs().length; l++) {
            total += widths[l + 1];
            silent += neurons.deadReLUs()[l];
        }
        return silent == 0 ? "" : " " + silent + " of " + total + " ReLUs are dead (0 for every " + examples.singular() + ").";
    }

    private static String cost(GradientDescent.Metric m) {
        return String.format(Locale.ROOT, "%.4f", m.cost());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction).replace(".0 %", " %");
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
