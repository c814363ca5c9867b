package dev.deepscope.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * micrograd's lesson: check hand-built math against an independent reference. TensorFlow's gradients of the
 * whole transformer are compared with finite differences of the loss computed by the serving graph, and one
 * AdamW step is compared with the update formula worked out in Java.
 */
class GradientCheckTest {

    static final GptConfig TINY = new GptConfig(32, 8, 16, 2, 2);
    static int[][] inputs = new int[4][TINY.context()];
    static int[][] targets = new int[4][TINY.context()];

    @BeforeAll
    static void batch() {
        Random random = new Random(3);
        for (int b = 0; b < inputs.length; b++) {
            for (int t = 0; t < TINY.context(); t++) {
                inputs[b][t] = random.nextInt(TINY.vocabulary());
                targets[b][t] = random.nextInt(TINY.vocabulary());
            }
        }
    }

    @Test
    void backpropagatedGradientsMatchFiniteDifferences() {
        Map<String, float[]> weights;
        Map<String, float[]> gradients;
        try (GptTraining training = new GptTraining(TINY, 11, 0.1f, 1f)) {
            weights = training.weights();
            gradients = training.gradients(inputs, targets);
        }
        double epsilon = 1e-2;
        for (String name : List.of("unembedding", "final_ln_gain", "block1_mlp_up", "block1_mlp_down_bias",
                "block0_attention_wv", "block0_attention_wo", "block0_ln1_bias", "token_embedding", "position_embedding")) {
            float[] g = gradients.get(name);
            int i = largest(g);
            Map<String, float[]> plus = perturbed(weights, name, i, epsilon);
            Map<String, float[]> minus = perturbed(weights, name, i, -epsilon);
            double numeric = (loss(plus) - loss(minus)) / (2 * epsilon);   // ∂C/∂θᵢ ≈ (C(θ+ε) − C(θ−ε)) / 2ε
            assertThat(g[i]).as(name + "[" + i + "]").isCloseTo((float) numeric,
                    Offset.offset((float) (2e-4 + 0.03 * Math.abs(numeric))));
            assertThat(Math.abs(g[i])).as(name + " has a gradient to check").isGreaterThan(1e-4f);
        }
    }

    @Test
    void oneAdamWStepMovesEveryWeightAsTheFormulaSays() {
        Map<String, float[]> before;
        Map<String, float[]> g;
        try (GptTraining training = new GptTraining(TINY, 11, 0.1f, 1f)) {
            before = training.weights();
            g = training.gradients(inputs, targets);
        }
        double norm = 0;
        for (float[] values : g.values()) {
            for (float x : values) {
                norm += x * x;
            }
        }
        norm = Math.sqrt(norm);
        float clip = (float) (norm / 2);                  // so clipping takes part: g ← g · clip / ‖g‖
        float rate = 1e-2f;
        float decay = 0.1f;
        Map<String, float[]> after;
        try (GptTraining training = new GptTraining(TINY, before, decay, clip)) {
            training.step(inputs, targets, rate, 1);
            after = training.weights();
        }
        double scale = clip / norm;
        for (String name : before.keySet()) {
            boolean decays = !(name.endsWith("_gain") || name.endsWith("_bias"));
            for (int i = 0; i < before.get(name).length; i++) {
                // at t = 1: m̂ = g_c and v̂ = g_c², so θ ← θ − η (g_c / (|g_c| + ε) + λθ)
                double gc = g.get(name)[i] * scale;
                double step = gc / (Math.abs(gc) + AdamW.EPSILON) + (decays ? decay * before.get(name)[i] : 0);
                double expected = before.get(name)[i] - rate * step;
                assertThat((double) after.get(name)[i]).as(name + "[" + i + "]")
                        .isCloseTo(expected, Offset.offset(1e-6));
            }
        }
    }

    /** Mean next-token cross-entropy in nats, computed in Java from the serving graph's logits. */
    private static double loss(Map<String, float[]> weights) {
        try (GptModel model = GptModel.fromWeights(TINY, weights)) {
            float[][][] logits = model.logits(inputs);
            double sum = 0;
            int n = 0;
            for (int b = 0; b < inputs.length; b++) {
                for (int t = 0; t < TINY.context(); t++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (float z : logits[b][t]) {
                        max = Math.max(max, z);
                    }
                    double partition = 0;
                    for (float z : logits[b][t]) {
                        partition += Math.exp(z - max);
                    }
                    sum += max + Math.log(partition) - logits[b][t][targets[b][t]];
                    n++;
                }
            }
            return sum / n;
        }
    }

    private static Map<String, float[]> perturbed(Map<String, float[]> weights, String name, int i, double by) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] values = weights.get(name).clone();
        values[i] += (float) by;
        copy.put(name, values);
        return copy;
    }

    private static int largest(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[best])) {
                best = i;
            }
        }
        return best;
    }
}
