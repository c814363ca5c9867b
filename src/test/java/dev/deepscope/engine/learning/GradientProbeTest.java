package dev.deepscope.engine.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autodiff against an independent reference (micrograd's rule): for weights in every layer, the chain-rule
 * product ∂C/∂a · σ'(z) · a_k, TensorFlow's ∂C/∂w and a float64 central finite difference all agree.
 */
class GradientProbeTest {

    private static final double H = 1e-6;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void chainRuleAutodiffAndFiniteDifferenceAgreeInEveryLayer(Activation activation) {
        MlpShape shape = new MlpShape(List.of(12, 7), activation);
        MlpParameters theta = MlpParameters.initial(shape, 11);
        Random random = new Random(5);
        float[] image = new float[784];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat() < 0.2 ? random.nextFloat() : 0;
        }
        int label = 3;
        LabelledImages one = new LabelledImages(image, new int[] {label});
        try (GradientProbe probe = new GradientProbe(shape)) {
            GradientProbe.Backprop b = probe.backprop(theta, image, label);
            assertThat(b.cost()).isCloseTo(probe.cost(theta, null, one), within(1e-12)).isPositive();
            int[] widths = shape.widths();
            int checked = 0;
            for (int l = 0; l < shape.depth(); l++) {
                GradientProbe.Layer layer = b.layers().get(l);
                double[] below = l == 0 ? b.input() : b.layers().get(l - 1).a();
                for (int trial = 0; trial < 20; trial++) {
                    int j = active(layer.dadz(), random);
                    int k = l == 0 ? 300 + random.nextInt(200) : random.nextInt(widths[l]); // inked pixels
                    double autodiff = layer.dCdW()[k * widths[l + 1] + j];
                    // ∂C/∂w_jk = ∂z_j/∂w_jk · ∂a_j/∂z_j · ∂C/∂a_j = a_k · σ'(z_j) · ∂C/∂a_j
                    double product = below[k] * layer.dadz()[j] * layer.dCda()[j];
                    double difference = (probe.cost(theta, new GradientProbe.Nudge(l, j, k, H), one)
                            - probe.cost(theta, new GradientProbe.Nudge(l, j, k, -H), one)) / (2 * H);
                    double scale = Math.max(1e-6, Math.abs(autodiff));
                    assertThat(product).isCloseTo(autodiff, within(1e-9 * scale + 1e-15));
                    assertThat(difference).isCloseTo(autodiff, within(1e-5 * scale + 1e-9));
                    if (autodiff != 0) {
                        checked++;
                    }
                }
                // ∂C/∂b_j = σ'(z_j) · ∂C/∂a_j
                for (int j = 0; j < widths[l + 1]; j++) {
                    assertThat(layer.dCdb()[j]).isCloseTo(layer.dadz()[j] * layer.dCda()[j], within(1e-12));
                }
            }
            assertThat(checked).as("non-zero gradients checked").isGreaterThan(10);
            // the output layer's ∂C/∂a is 2(a − y)
            GradientProbe.Layer output = b.layers().get(shape.depth() - 1);
            for (int j = 0; j < 10; j++) {
                assertThat(output.dCda()[j]).isCloseTo(2 * (output.a()[j] - (j == label ? 1 : 0)), within(1e-12));
            }
        }
    }

    /** A neuron that responds (σ'(z) ≠ 0): a dead ReLU neuron's gradients are all exactly zero. */
    private static int active(double[] dadz, Random random) {
        for (int tries = 0; ; tries++) {
            int j = random.nextInt(dadz.length);
            if (dadz[j] != 0 || tries > 100) {
                return j;
            }
        }
    }
}
