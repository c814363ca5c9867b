package dev.deepscope.engine.learning;

import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** The forward pass and the cost of an {@link MlpShape}, written once for float32 and float64 graphs. */
final class MlpLayers {

    /** Every layer's weighted input z⁽ˡ⁾ and activation a⁽ˡ⁾ (a⁽⁰⁾ = the pixels), each (N, width). */
    record Forward<T extends TNumber>(List<Operand<T>> z, List<Operand<T>> a) {
        Operand<T> output() {
            return a.get(a.size() - 1);
        }
    }

    private MlpLayers() {
    }

    /** z⁽ˡ⁾ = a⁽ˡ⁻¹⁾·W⁽ˡ⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = σ(z⁽ˡ⁾) (or ReLU in hidden layers); the output layer is always σ. */
    static <T extends TNumber> Forward<T> forward(Ops tf, Operand<T> pixels, List<Operand<T>> weights,
                                                   List<Operand<T>> biases, Activation hidden) {
        List<Operand<T>> z = new ArrayList<>();
        List<Operand<T>> a = new ArrayList<>();
        a.add(pixels);
        for (int l = 0; l < weights.size(); l++) {
            Operand<T> zl = tf.nn.biasAdd(tf.linalg.matMul(a.get(l), weights.get(l)), biases.get(l));
            z.add(zl);
            a.add(activate(tf, zl, l == weights.size() - 1 ? Activation.SIGMOID : hidden));
        }
        return new Forward<>(z, a);
    }

    /** σ(z) = 1 / (1 + e^(−z)) or ReLU(z) = max(0, z), element by element. */
    static <T extends TNumber> Operand<T> activate(Ops tf, Operand<T> z, Activation activation) {
        return activation == Activation.SIGMOID ? tf.math.sigmoid(z) : tf.nn.relu(z);
    }

    /**
     * The series' cost: C = (1/n) Σᵢ Σⱼ (a⁽ᴸ⁾ⱼ(xᵢ) − yᵢⱼ)², the squared distance between the ten outputs
     * and the wanted one-hot answer, averaged over the n examples of the batch.
     */
    static <T extends TNumber> Operand<T> quadraticCost(Ops tf, Operand<T> output, Operand<T> wanted) {
        Operand<T> perExample = tf.reduceSum(tf.math.square(tf.math.sub(output, wanted)), tf.constant(1));
        return tf.math.mean(perExample, tf.constant(0));
    }
}
