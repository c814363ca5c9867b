package dev.deepscope.engine;

import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What this machine's TensorFlow can do at best: the rate of an n×n float matmul (2n³ floating-point
 * operations), the yardstick training throughput is compared with. The inputs are fed, not constants,
 * so TensorFlow cannot fold the product away at graph-optimisation time; the output is reduced to one
 * number in the graph so copying it out costs nothing.
 */
public final class MatmulPeak {

    private MatmulPeak() {
    }

    /**
     * GFLOP/s of an n×n by n×n float matmul, best over repeated timed runs lasting about {@code seconds}.
     *
     * @param threads TensorFlow threads for this session alone, or 0 for TensorFlow's shared pool (all cores)
     */
    public static double gflops(int n, int threads, double seconds) {
        try (Graph graph = Devices.newGraph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            var sum = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
            var config = Devices.sessionConfig(threads);
            try (Session session = new Session(graph, config);
                 TFloat32 x = random(n, 1);
                 TFloat32 y = random(n, 2)) {
                double best = Double.MAX_VALUE;
                long end = System.nanoTime() + (long) (seconds * 1e9);
                for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
                    long t0 = System.nanoTime();
                    try (Result r = session.runner().feed(a, x).feed(b, y).fetch(sum).run()) {
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    }
                }
                return 2.0 * n * n * n / best / 1e9;
            }
        }
    }

    private static TFloat32 random(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() - 0.5f;
        }
        return TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false));
    }
}
