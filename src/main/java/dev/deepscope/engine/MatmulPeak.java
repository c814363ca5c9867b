package dev.deepscope.engine;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The speed this machine multiplies matrices at right now (n×n float matmul, 2n³ operations each), as a
 * yardstick for how much of it a model's training reaches. Measured, not looked up: the CPU is shared.
 */
public final class MatmulPeak {

    private MatmulPeak() {
    }

    /** GFLOP/s of repeated n×n products over about {@code seconds}. */
    public static double gflops(int n, double seconds) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> a = tf.random.randomStandardNormal(tf.constant(new int[] {n, n}), TFloat32.class);
            Operand<TFloat32> product = tf.linalg.matMul(tf.identity(tf.variable(a)), tf.identity(tf.variable(a)));
            try (Session session = new Session(graph, Devices.SESSION_CONFIG)) {
                session.initialize();
                session.runner().fetch(product).run().close();    // warm up
                long start = System.nanoTime();
                int runs = 0;
                while (System.nanoTime() - start < seconds * 1e9) {
                    session.runner().fetch(product).run().close();
                    runs++;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                return runs * 2.0 * n * n * n / elapsed / 1e9;
            }
        }
    }

}
