package dev.deepscope.engine;

/**
 * The small vector math the chapters share, in plain Java (no TensorFlow): for vectors of a few hundred
 * numbers a native call would cost more than the arithmetic.
 */
public final class VectorMath {

    private VectorMath() {
    }

    /** The index of the largest value (the first, on ties); 0 for an empty vector. */
    public static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The index of the largest value (the first, on ties); 0 for an empty vector. */
    public static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Σ aₖ·bₖ over {@code a}'s length (b at least as long), each product in float, summed in double. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Σ aₖ·bₖ over {@code a}'s length (b at least as long). */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
