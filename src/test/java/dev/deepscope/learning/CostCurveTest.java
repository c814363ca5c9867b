package dev.deepscope.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostCurveTest {

    @Test
    void aLongRunIsThinnedToEvenlySpacedPointsFromTheStart() {
        CostCurve curve = new CostCurve();
        for (int i = 0; i < 1000; i++) {
            curve.add(i);
        }
        List<Double> costs = curve.costs();
        assertThat(costs).hasSizeBetween(CostCurve.POINTS / 2, CostCurve.POINTS - 1).startsWith(0.0);
        double step = costs.get(1) - costs.get(0);
        for (int i = 1; i < costs.size(); i++) {
            assertThat(costs.get(i) - costs.get(i - 1)).isEqualTo(step);
        }
        assertThat(costs.get(costs.size() - 1)).isGreaterThan(1000 - 2 * step);
    }

    @Test
    void aShortRunKeepsEveryPoint() {
        CostCurve curve = new CostCurve();
        List.of(0.9, 0.5, 0.2).forEach(curve::add);
        assertThat(curve.costs()).containsExactly(0.9, 0.5, 0.2);
    }

    @Test
    void aPictureNeedsTwoFinitePoints() {
        assertThat(CostCurve.thumbnail(List.of(0.5))).isNull();
        assertThat(CostCurve.thumbnail(List.of(0.5, Double.NaN))).isNull();
        assertThat(CostCurve.thumbnail(List.of(0.9, 0.5, 0.2))).startsWith("data:image/png;base64,");
    }
}
