package dev.deepscope.engine;

import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The machine's practical float32 peak as TensorFlow sees it: an n×n by n×n matmul (2n³ FLOPs) run
 * repeatedly in one session; the best of a few rounds. Model FLOP utilisation is measured against it.
 */
public final class MatmulPeak {

    private MatmulPeak() {
    }

    /** GFLOP/s of the fastest of {@code rounds} rounds of {@code repeats} matmuls each. */
    public static double gigaflops(int n, int repeats, int rounds) {
        float[] values = new float[n * n];
        Random random = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            // fed, not a constant: a constant graph would be folded away before it runs
            var a = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(n, n)));
            // a chain of matmuls in one run, scaled to stay finite: the per-call overhead is paid once
            org.tensorflow.Operand<TFloat32> x = a;
            for (int r = 0; r < repeats; r++) {
                x = tf.math.mul(tf.linalg.matMul(x, a), tf.constant(1f / n));
            }
            var sum = tf.sum(x, tf.constant(new int[] {0, 1}));
            try (Session session = new Session(graph, Devices.SESSION_CONFIG);
                 TFloat32 input = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false))) {
                double best = 0;
                for (int round = 0; round <= rounds; round++) {
                    long start = System.nanoTime();
                    try (Result result = session.runner().feed(a, input).fetch(sum).run()) {
                        result.get(0);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (round > 0) { // the first round warms up
                        best = Math.max(best, 2.0 * n * n * n * repeats / seconds / 1e9);
                    }
                }
                return best;
            }
        }
    }
}
