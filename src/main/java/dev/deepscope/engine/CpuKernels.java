package dev.deepscope.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Which CPU kernels TensorFlow uses: its own (Eigen) or Intel's oneDNN. Our models run tiny tensors (a
 * 7×7 latent, one digit, one token), where a oneDNN call costs tens of microseconds of set-up: a latent
 * U-Net step took 1.7 ms with oneDNN and 0.9 ms with Eigen, one GPT stream 1,350 vs 1,900 tokens/s, and
 * the 1024² matmul peak is the same either way (DiffusionBenchmark, TextBenchmark). So we choose Eigen.
 *
 * <p>TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, when its native library loads, and only from the
 * C environment, which Java cannot change, so it is set through the C library's {@code setenv}. An
 * operator's own value wins.
 */
final class CpuKernels {

    private static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private CpuKernels() {
    }

    /** Must run before anything loads TensorFlow's native library (Devices' static initialiser calls it). */
    static void chooseEigen() {
        Native.load("c", CLibrary.class).setenv(VARIABLE, "0", 0);
    }

    /**
     * "oneDNN" or "Eigen", as TensorFlow actually runs: a 3×3 convolution is traced, and oneDNN's kernels
     * show up as {@code _Mkl…} nodes. Asked once, by Devices.
     */
    static String inUse() {
        try (Graph graph = new Graph(); Session session = new Session(graph, Devices.SESSION_CONFIG)) {
            Ops tf = Ops.create(graph);
            var image = tf.constant(new float[1][3][3][1]);                                    // (1, 3, 3, 1)
            var kernel = tf.constant(new float[3][3][1][1]);                                   // (3, 3, 1, 1)
            var conv = tf.nn.conv2d(image, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
            RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
            try (var result = session.runner().fetch(conv).setOptions(trace).runAndFetchMetadata()) {
                RunMetadata metadata = result.getMetadata().orElseThrow();
                boolean oneDnn = metadata.getStepStats().getDevStatsList().stream()
                        .flatMap(device -> device.getNodeStatsList().stream())
                        .anyMatch(node -> node.getTimelineLabel().contains("_Mkl"));
                return oneDnn ? "oneDNN" : "Eigen";
            }
        }
    }
}
