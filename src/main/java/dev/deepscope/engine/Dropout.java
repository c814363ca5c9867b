package dev.deepscope.engine;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Dropout for the training graph only (the GPT's and the CNN's): each value is zeroed with probability p and the rest are scaled by
 * 1 / (1 − p), so the expected value is unchanged and the served graph (which has no dropout) needs no
 * rescaling. p is fed with each step and defaults to 0, so the same graph can also be scored without it.
 * The served graph is built with {@link #NONE} and has none of these ops, so its names and weights stay as they were.
 *
 * <p>Each dropout site has its own seeded random op, so a run with the same seed drops the same values.
 */
public final class Dropout {

    /** No dropout: {@link #apply} returns its input; what the served graph uses. */
    public static final Dropout NONE = new Dropout(null, null, 0);

    private final Ops tf;
    public final Operand<TFloat32> rate;      // p, scalar, fed per step (default 0); null for NONE
    private final long seed;
    private long sites;

    private Dropout(Ops tf, Operand<TFloat32> rate, long seed) {
        this.tf = tf;
        this.rate = rate;
        this.seed = seed;
    }

    /** Dropout whose rate is a scalar input named {@code dropout}, 0 unless fed. */
    public static Dropout training(Ops tf, long seed) {
        var rate = tf.withName("dropout").placeholderWithDefault(tf.constant(0f), Shape.scalar());
        return new Dropout(tf, rate, seed);
    }

    /** x ⊙ ⌊(1 − p) + u⌋ / (1 − p) with u ~ U[0, 1) per value; any shape. */
    public Operand<TFloat32> apply(Operand<TFloat32> x) {
        if (rate == null) {
            return x;
        }
        var keep = tf.math.sub(tf.constant(1f), rate);
        var noise = tf.random.randomUniform(tf.shape(x), TFloat32.class,
                RandomUniform.seed(seed), RandomUniform.seed2(++sites));
        // the mask is a constant as far as gradients go: only x is differentiated
        var mask = tf.stopGradient(tf.math.div(tf.math.floor(tf.math.add(keep, noise)), keep));
        return tf.math.mul(x, mask);
    }
}
