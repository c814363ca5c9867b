package dev.deepscope.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.engine.learning.MlpParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The training loop: both kinds of descent lower the cost from the same start, and a seed fixes the curve. */
class GradientDescentTest {

    private static DigitData data;

    @BeforeAll
    static void load() {
        data = DigitData.load();
    }

    @Test
    void gradientDescentAndMiniBatchSgdBothConvergeFromTheSameStart() {
        int all = data.training().size();
        List<GradientDescent.Metric> gd = new ArrayList<>();
        List<GradientDescent.Metric> sgd = new ArrayList<>();
        GradientDescent.train(new TrainParams(List.of(16, 16), "relu", 0.5, all, 100, 9L), data, 1, gd::add);
        GradientDescent.train(new TrainParams(List.of(16, 16), "relu", 0.5, 32, 600, 9L), data, 1, sgd::add);

        assertThat(gd.get(0).cost()).isEqualTo(sgd.get(0).cost());          // same seed, same θ₀
        for (List<GradientDescent.Metric> curve : List.of(gd, sgd)) {
            GradientDescent.Metric first = curve.get(0);
            GradientDescent.Metric last = curve.get(curve.size() - 1);
            assertThat(first.step()).isZero();
            assertThat(last.cost()).isLessThan(0.45 * first.cost());
            assertThat(last.accuracy()).isGreaterThan(0.7);
        }
        GradientDescent.Metric gdLast = gd.get(gd.size() - 1);
        GradientDescent.Metric sgdLast = sgd.get(sgd.size() - 1);
        assertThat(gdLast.examples()).isEqualTo(100L * all);
        assertThat(sgdLast.examples()).isEqualTo(600L * 32);
        // the point of SGD: a comparable cost from far fewer examples
        assertThat(sgdLast.examples()).isLessThan(gdLast.examples() / 40);
        assertThat(sgdLast.cost()).isLessThan(gdLast.cost() * 1.2);
    }

    @Test
    void theSameSeedGivesTheSameCurveAndAnotherSeedAnother() {
        Map<Integer, Double> a = curve(4L);
        Map<Integer, Double> b = curve(4L);
        Map<Integer, Double> c = curve(5L);
        List<Integer> everyTwo = a.keySet().stream().filter(s -> s % 2 == 0).toList();   // the step-based points
        assertThat(everyTwo).hasSizeGreaterThanOrEqualTo(101);
        for (int step : everyTwo) {
            assertThat(b.get(step)).as("cost at step %d", step).isEqualTo(a.get(step));
        }
        assertThat(c.get(200)).isNotEqualTo(a.get(200));
        assertThat(a.get(200)).isLessThan(a.get(0));
    }

    @Test
    void reportsAFewPathPointsAndWeightPicturesIncludingTheEnds() {
        List<Integer> path = new ArrayList<>();
        List<Integer> pictures = new ArrayList<>();
        GradientDescent.train(new TrainParams(List.of(8), "sigmoid", 3.0, 10, 120, 1L), data, 1,
                new GradientDescent.Listener() {
                    @Override
                    public void metric(GradientDescent.Metric metric) {
                    }

                    @Override
                    public void weights(int step, MlpParameters theta) {
                        pictures.add(step);
                    }

                    @Override
                    public void path(int step, double cost, MlpParameters theta) {
                        path.add(step);
                        assertThat(theta.weights()[0]).hasSize(784 * 8);
                    }
                });
        assertThat(path).startsWith(0).endsWith(120).hasSizeBetween(20, 26);
        assertThat(pictures).startsWith(0).endsWith(120);
    }

    @Test
    void aReluNetworkTrainedAtAnAbsurdRateStopsPassingGradientAndTheDefaultRateDoesNot() {
        NeuronCensus absurd = census(new TrainParams(List.of(16, 16), "relu", 10.0, 32, 30, 1L));
        assertThat(absurd.pinnedOutputs()).isEqualTo(10);          // σ′ ≈ 0 at every output, for every digit
        assertThat(absurd.deadReLUs()[0] + absurd.deadReLUs()[1]).isGreaterThan(8);

        NeuronCensus sensible = census(new TrainParams(List.of(16, 16), "relu",
                TrainParams.DEFAULT_LEARNING_RATES.get("relu"), 32, 30, 1L));
        assertThat(sensible.pinnedOutputs()).isZero();
        assertThat(sensible.deadReLUs()[0]).isLessThan(16);
        assertThat(sensible.deadReLUs()[1]).isLessThan(16);
        assertThat(census(new TrainParams(List.of(8), "sigmoid", 3.0, 32, 5, 1L)).deadReLUs()).isNull();
    }

    private static NeuronCensus census(TrainParams params) {
        MlpParameters[] end = new MlpParameters[1];
        GradientDescent.train(params, data, 1, new GradientDescent.Listener() {
            @Override
            public void metric(GradientDescent.Metric metric) {
            }

            @Override
            public void path(int step, double cost, MlpParameters theta) {
                end[0] = theta;
            }
        });
        return NeuronCensus.of(end[0], data.training(), data.costSample());
    }

    private static Map<Integer, Double> curve(long seed) {
        Map<Integer, Double> costs = new LinkedHashMap<>();
        GradientDescent.train(new TrainParams(List.of(16, 16), "sigmoid", 3.0, 32, 200, seed), data, 1,
                m -> costs.put(m.step(), m.cost()));
        return costs;
    }
}
