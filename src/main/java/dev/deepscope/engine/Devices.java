package dev.deepscope.engine;

import static org.tensorflow.internal.c_api.global.tensorflow.*;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * What TensorFlow can run on here, and the one session configuration every model uses.
 *
 * <p>Loading this class chooses TensorFlow's CPU kernels ({@link CpuKernels}). The Java API has no device
 * listing, so a scratch session made through the C API is asked once.
 */
public final class Devices {

    /** Soft placement lets ops without a GPU kernel fall back to the CPU; memory growth shares a GPU politely. */
    public static final ConfigProto SESSION_CONFIG = ConfigProto.newBuilder()
            .setAllowSoftPlacement(true)
            .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
            .build();

    static {
        CpuKernels.chooseEigen();   // before the first TensorFlow call below loads the native library
    }

    private static final Devices INSTANCE = listDevices();
    private static final String CPU_KERNELS = CpuKernels.inUse();

    /**
     * The session configuration with its own pool of {@code threads} TensorFlow threads (so the session uses
     * at most that many cores), or {@link #SESSION_CONFIG} and TensorFlow's shared pool for 0.
     */
    public static ConfigProto sessionConfig(int threads) {
        return threads <= 0 ? SESSION_CONFIG : SESSION_CONFIG.toBuilder().setUsePerSessionThreads(true)
                .setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1).build();
    }

    /**
     * For small interactive models (the digit classifiers: a forward pass of about a millisecond): a pool of
     * their own, one thread per core, so a person's classify never queues behind the long ops of someone's
     * sampling or generation in TensorFlow's shared pool; they then share the cores as threads, by the OS.
     */
    public static ConfigProto interactiveConfig() {
        return SESSION_CONFIG.toBuilder().setUsePerSessionThreads(true)
                .setInterOpParallelismThreads(Runtime.getRuntime().availableProcessors())
                .setIntraOpParallelismThreads(1).build();
    }

    private final List<String> names;

    private Devices(List<String> names) {
        this.names = List.copyOf(names);
    }

    public static Devices instance() {
        return INSTANCE;
    }

    /**
     * A new graph. Every model makes its graph here, so {@link CpuKernels} are chosen before TensorFlow's
     * native library loads.
     */
    public static Graph newGraph() {
        return new Graph();
    }

    /** "Eigen" or "oneDNN": the CPU kernels TensorFlow uses in this process (see {@link CpuKernels}). */
    public static String cpuKernels() {
        return CPU_KERNELS;
    }

    public static String tensorflowVersion() {
        return TensorFlow.version();
    }

    /** Full device names, e.g. {@code /job:localhost/replica:0/task:0/device:CPU:0}. */
    public List<String> names() {
        return names;
    }

    /** The device models run on: the first GPU if there is one, otherwise the CPU ("GPU:0" or "CPU:0"). */
    public String inUse() {
        return names.stream().map(Devices::shortName).filter(n -> n.startsWith("GPU:")).findFirst()
                .orElse(names.stream().map(Devices::shortName).findFirst().orElse("CPU:0"));
    }

    private static String shortName(String full) {
        int at = full.lastIndexOf("device:");
        return at < 0 ? full : full.substring(at + "device:".length());
    }

    private static Devices listDevices() {
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        try {
            byte[] config = SESSION_CONFIG.toByteArray();
            try (var bytes = new org.bytedeco.javacpp.BytePointer(config)) {
                TF_SetConfig(options, bytes, config.length, status);
            }
            TF_Session session = TF_NewSession(graph, options, status);
            check(status);
            TF_DeviceList list = TF_SessionListDevices(session, status);
            check(status);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < TF_DeviceListCount(list); i++) {
                names.add(TF_DeviceListName(list, i, status).getString());
            }
            TF_DeleteDeviceList(list);
            TF_CloseSession(session, status);
            TF_DeleteSession(session, status);
            return new Devices(names);
        } finally {
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    private static void check(TF_Status status) {
        if (TF_GetCode(status) != TF_OK) {
            throw new IllegalStateException("TensorFlow could not list devices: " + TF_Message(status).getString());
        }
    }
}
