package dev.deepscope.engine.text;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * AdamW with global-norm gradient clipping, built by hand because TensorFlow Java's Adam bakes its
 * learning rate into the graph: here the rate is fed each step, so warm-up and decay are plain Java.
 *
 * <pre>
 *   g ← g · min(1, clip / ‖g‖)                       (‖g‖ over all parameters together)
 *   m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − η ( m̂ / (√v̂ + ε) + λ θ )                m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)
 * </pre>
 * The decay λθ is decoupled from the gradient (Loshchilov &amp; Hutter) and applies to matrices only.
 */
final class AdamW {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.95f;
    static final float EPSILON = 1e-8f;

    final Placeholder<TFloat32> learningRate;      // η, scalar
    final Placeholder<TFloat32> firstCorrection;   // 1 / (1 − β₁ᵗ), scalar
    final Placeholder<TFloat32> secondCorrection;  // 1 / (1 − β₂ᵗ), scalar
    final Operand<TFloat32> gradientNorm;          // ‖g‖ before clipping
    final List<Operand<TFloat32>> gradients = new ArrayList<>();   // ∂loss/∂θ per parameter, before clipping
    final Op update;

    AdamW(Ops tf, List<GptWeights.Parameter> parameters, Operand<TFloat32> loss, float weightDecay, float clipNorm) {
        learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        firstCorrection = tf.withName("first_correction").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        secondCorrection = tf.withName("second_correction").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        var gradients = tf.gradients(loss, parameters.stream().map(GptWeights.Parameter::read).toList());
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Operand<TFloat32> g = gradients.dy(i);
            this.gradients.add(g);
            squares.add(tf.sum(tf.math.square(g), allAxes(tf, g)));
        }
        gradientNorm = tf.math.sqrt(tf.math.addN(squares));
        var clip = tf.constant(clipNorm);
        var scale = tf.math.div(clip, tf.math.maximum(gradientNorm, clip));
        List<Op> assignments = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            GptWeights.Parameter p = parameters.get(i);
            Operand<TFloat32> g = tf.math.mul(gradients.<TFloat32>dy(i), scale);
            var zeros = tf.zeros(tf.constant(p.shape()), TFloat32.class);
            var m = tf.withName(p.name() + "_adam_m").variable(zeros);
            var v = tf.withName(p.name() + "_adam_v").variable(zeros);
            var newM = tf.math.add(tf.math.mul(tf.constant(BETA1), tf.identity(m)), tf.math.mul(tf.constant(1 - BETA1), g));
            var newV = tf.math.add(tf.math.mul(tf.constant(BETA2), tf.identity(v)),
                    tf.math.mul(tf.constant(1 - BETA2), tf.math.square(g)));
            var mHat = tf.math.mul(newM, firstCorrection);
            var vHat = tf.math.mul(newV, secondCorrection);
            Operand<TFloat32> direction = tf.math.div(mHat, tf.math.add(tf.math.sqrt(vHat), tf.constant(EPSILON)));
            if (p.decays()) {
                direction = tf.math.add(direction, tf.math.mul(tf.constant(weightDecay), p.read()));
            }
            // every assignment waits for ‖g‖, which needs every gradient: no weight changes while one is read
            assignments.add(tf.assign(m, newM));
            assignments.add(tf.assign(v, newV));
            assignments.add(tf.assign(p.variable(), tf.math.sub(p.read(), tf.math.mul(learningRate, direction))));
        }
        update = tf.withControlDependencies(assignments).noOp();
    }

    private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> g) {
        int rank = g.shape().numDimensions();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return tf.constant(axes);
    }
}
