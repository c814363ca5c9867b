package dev.deepscope.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.engine.learning.MlpShape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The geometry of the landscape, without TensorFlow: filter normalisation and projecting the path. */
class CostLandscapeTest {

    private final MlpParameters theta = MlpParameters.initial(new MlpShape(List.of(6, 5), Activation.RELU), 3);

    @Test
    void eachNeuronsSliceOfADirectionHasTheNormOfThatNeuronsWeights() {
        MlpParameters d = CostLandscape.filterNormalised(theta, new Random(1));
        int[] widths = theta.shape().widths();
        for (int l = 0; l < theta.shape().depth(); l++) {
            for (int j = 0; j < widths[l + 1]; j++) {
                assertThat(norm(d.incoming(l, j))).isCloseTo(norm(theta.incoming(l, j)), within(1e-4));
            }
            assertThat(d.biases()[l]).containsOnly(0f);
        }
        assertThat(CostLandscape.filterNormalised(theta, new Random(1)).weights()[0]).containsExactly(d.weights()[0]);
        assertThat(CostLandscape.filterNormalised(theta, new Random(2)).weights()[0]).isNotEqualTo(d.weights()[0]);
    }

    @Test
    void aPointOnThePlaneProjectsToItsOwnCoordinates() {
        Random random = new Random(4);
        MlpParameters d = CostLandscape.filterNormalised(theta, random);
        MlpParameters e = CostLandscape.filterNormalised(theta, random);
        MlpParameters point = theta.plus(0.7, d, -1.3, e);
        double[] v = point.flatten();
        double[] c = theta.flatten();
        for (int i = 0; i < v.length; i++) {
            v[i] -= c[i];
        }
        double[] ab = CostLandscape.project(v, d.flatten(), e.flatten());
        assertThat(ab[0]).isCloseTo(0.7, within(1e-4));
        assertThat(ab[1]).isCloseTo(-1.3, within(1e-4));
    }

    private static double norm(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
