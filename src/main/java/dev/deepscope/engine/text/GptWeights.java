package dev.deepscope.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Every parameter of a transformer graph, created with a stable checkpoint name and read through
 * {@code identity} (ref variables fed straight into BatchMatMul break gradients, see TFJAVA.md).
 */
final class GptWeights {

    /** How a parameter starts: a LayerNorm gain at 1, a bias at 0, a matrix at N(0, std²). */
    enum Init { ONES, ZEROS, NORMAL }

    /** One parameter: its raw variable (for updates) and its read (for the forward pass). */
    record Parameter(String name, long[] shape, Variable<TFloat32> variable, Operand<TFloat32> read,
                     boolean decays) {
    }

    /** Where initial values come from: a seeded random draw for training, or trained values to serve. */
    interface Source {
        float[] values(String name, long[] shape, Init init, double std);
    }

    static Source random(long seed) {
        Random random = new Random(seed);
        return (name, shape, init, std) -> {
            float[] v = new float[size(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (init) {
                    case ONES -> 1f;
                    case ZEROS -> 0f;
                    case NORMAL -> (float) (random.nextGaussian() * std);
                };
            }
            return v;
        };
    }

    static Source trained(Map<String, float[]> values) {
        return (name, shape, init, std) -> {
            float[] v = values.get(name);
            if (v == null || v.length != size(shape)) {
                throw new IllegalArgumentException("no trained values of the right size for " + name);
            }
            return v;
        };
    }

    private final Ops tf;
    private final Source source;
    private final List<Parameter> parameters = new ArrayList<>();

    GptWeights(Ops tf, Source source) {
        this.tf = tf;
        this.source = source;
    }

    /** A matrix or vector; only matrices get weight decay (AdamW decays weights, not gains or biases). */
    Operand<TFloat32> create(String name, Init init, double std, long... shape) {
        float[] values = source.values(name, shape, init, std);
        var initial = tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
        Variable<TFloat32> variable = tf.withName(name).variable(initial);
        Operand<TFloat32> read = tf.withName(name + "_read").identity(variable);
        parameters.add(new Parameter(name, shape, variable, read, shape.length == 2));
        return read;
    }

    List<Parameter> all() {
        return parameters;
    }

    static int size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
