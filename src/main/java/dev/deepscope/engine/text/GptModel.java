package dev.deepscope.engine.text;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A trained transformer served from its own graph and session. It reads tokens for several texts at once,
 * each with its {@link KeyValueCache}, and can hand back every inner value of the last position read.
 * Running is thread-safe; callers must not use one cache from two threads.
 */
public final class GptModel implements AutoCloseable {

    /** What the model computed at the last position it read for one text. */
    public record Inspection(float[][][] attention,   // [layer][head][key] softmax(Q·Kᵀ/√d) over keys 0..position
                             float[] residualNorms,   // [L+1] ‖x‖ after the embedding and after each block
                             float[][] logitLens,     // [L+1][V] LN_f(x)·W_U after the embedding and each block
                             float[][] neurons) {     // [layer][4C] the MLP's GELU activations
    }

    /** Logits for each new token of a text [S][V], and the inspection of its last one (or null). */
    public record Output(float[][] logits, Inspection inspection) {
    }

    private static final float MASKED = -1e9f;
    private static final int PAD = 32;

    private final GptConfig config;
    private final Graph graph;
    private final GptGraph net;
    private final Session session;

    private GptModel(GptConfig config, GptWeights.Source weights) {
        this.config = config;
        this.graph = Devices.newGraph();
        this.net = new GptGraph(graph, config, weights, true);
        this.session = new Session(graph, Devices.SESSION_CONFIG);
    }

    /** A model holding trained weights, e.g. to evaluate or save them. */
    public static GptModel fromWeights(GptConfig config, Map<String, float[]> weights) {
        GptModel model = new GptModel(config, GptWeights.trained(weights));
        model.session.initialize();
        return model;
    }

    public static GptModel restore(GptConfig config, Path checkpointDir) {
        // the initial values are never used: restore overwrites every variable
        GptModel model = new GptModel(config, GptWeights.random(0));
        Checkpoint.restore(model.session, checkpointDir);
        return model;
    }

    public void save(Path dir) {
        Checkpoint.save(session, dir);
    }

    public GptConfig config() {
        return config;
    }

    /** The served graph and its session, for {@link GptInside}'s whole-text passes. */
    GptGraph graph() {
        return net;
    }

    Session session() {
        return session;
    }

    public long parameterCount() {
        return net.weights.all().stream().mapToLong(p -> GptWeights.size(p.shape())).sum();
    }

    /** Token embedding W_E (V, C), row by row. */
    public float[][] tokenEmbedding() {
        try (Result result = session.runner().fetch(net.embedding).run()) {
            float[] flat = FloatTensors.toArray((TFloat32) result.get(0));
            float[][] rows = new float[config.vocabulary()][];
            for (int v = 0; v < rows.length; v++) {
                rows[v] = Arrays.copyOfRange(flat, v * config.width(), (v + 1) * config.width());
            }
            return rows;
        }
    }

    /** Logits [B][S][V] for whole windows read from scratch (no cache), each S ≤ T tokens long. */
    public float[][][] logits(int[][] windows) {
        int b = windows.length;
        int s = windows[0].length;
        List<KeyValueCache> caches = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            caches.add(new KeyValueCache(config));
        }
        List<Output> outputs = read(caches, windows, false);
        float[][][] logits = new float[b][][];
        for (int i = 0; i < b; i++) {
            logits[i] = outputs.get(i).logits();
        }
        return logits;
    }

    /**
     * Reads S new tokens for each of B texts in one forward pass. Text b's tokens sit at positions
     * cache.length()..+S−1; each attends to its own cached keys and to its new tokens causally.
     * The caches are extended with the new keys and values.
     */
    public List<Output> read(List<KeyValueCache> caches, int[][] newTokens, boolean inspect) {
        try (KeyValueBatch past = new KeyValueBatch(config)) {
            return read(past, caches, newTokens, inspect);
        }
    }

    /**
     * As {@link #read(List, int[][], boolean)}, feeding the caches' keys and values from {@code past}, which keeps
     * them between calls: a decoding loop that reads the same texts step after step passes the same batch, so
     * their cached keys and values are copied into tensors only when the texts change, not at every step.
     */
    public List<Output> read(KeyValueBatch past, List<KeyValueCache> caches, int[][] newTokens, boolean inspect) {
        int b = caches.size();
        int s = newTokens[0].length;
        int p = 0;
        for (int i = 0; i < b; i++) {
            if (caches.get(i).length() + s > config.context()) {
                throw new IllegalArgumentException("text " + i + " would outgrow the context of " + config.context());
            }
            p = Math.max(p, caches.get(i).length());
        }
        // cached keys are padded (and masked) to a multiple of 32 slots: the kernels then see a few
        // shapes again and again instead of a new shape at every step, which they would set up anew
        p = Math.min(config.context(), (p + PAD - 1) / PAD * PAD);
        int[] positions = new int[b * s];
        float[] mask = new float[b * s * (p + s)];                       // (B, 1, S, P+S)
        for (int i = 0; i < b; i++) {
            int length = caches.get(i).length();
            for (int q = 0; q < s; q++) {
                positions[i * s + q] = length + q;
                for (int k = 0; k < p + s; k++) {
                    boolean visible = k < p ? k < length : k - p <= q;
                    mask[(i * s + q) * (p + s) + k] = visible ? 0 : MASKED;
                }
            }
        }
        try (TInt32 tokens = TokenTensors.matrix(newTokens);
             TInt32 at = TInt32.tensorOf(Shape.of(b, s), DataBuffers.of(positions, true, false));
             TFloat32 maskBias = TFloat32.tensorOf(Shape.of(b, 1, s, p + s), DataBuffers.of(mask, true, false))) {
            var runner = session.runner().feed(net.tokens, tokens).feed(net.positions, at).feed(net.maskBias, maskBias);
            past.prepare(caches, p);
            for (int l = 0; l < config.layers(); l++) {
                runner.feed(net.pastKeys.get(l), past.keys(l));
                runner.feed(net.pastValues.get(l), past.values(l));
            }
            Map<Fetch, List<Operand<TFloat32>>> fetches = fetches(inspect);
            fetches.values().forEach(group -> group.forEach(runner::fetch));
            try (Result result = runner.run()) {
                Map<Fetch, List<float[]>> fetched = new EnumMap<>(Fetch.class);
                int index = 0;
                for (Map.Entry<Fetch, List<Operand<TFloat32>>> group : fetches.entrySet()) {
                    List<float[]> values = new ArrayList<>(group.getValue().size());
                    for (int f = 0; f < group.getValue().size(); f++) {
                        values.add(FloatTensors.toArray((TFloat32) result.get(index++)));
                    }
                    fetched.put(group.getKey(), values);
                }
                return unpack(past, caches, fetched, s, p, inspect);
            }
        }
    }

    /** What one forward pass fetches, in this order; each a list with one tensor per layer (logits: one). */
    private enum Fetch {
        LOGITS,       // (B, S, V)
        KEYS,         // L × (B, H, S, d): the new tokens' keys and values, appended to the caches
        VALUES,
        ATTENTION,    // L × (B, H, S, P+S), when inspecting
        RESIDUALS,    // L+1 × (B·S, C), when inspecting
        LOGIT_LENS,   // L+1 × (B·S, V), when inspecting
        NEURONS       // L × (B·S, 4C), when inspecting
    }

    private Map<Fetch, List<Operand<TFloat32>>> fetches(boolean inspect) {
        Map<Fetch, List<Operand<TFloat32>>> fetches = new EnumMap<>(Fetch.class);
        fetches.put(Fetch.LOGITS, List.of(net.logits));
        fetches.put(Fetch.KEYS, net.blocks.stream().map(b -> b.attention().keys()).toList());
        fetches.put(Fetch.VALUES, net.blocks.stream().map(b -> b.attention().values()).toList());
        if (inspect) {
            fetches.put(Fetch.ATTENTION, net.blocks.stream().map(b -> b.attention().weights()).toList());
            fetches.put(Fetch.RESIDUALS, net.residuals);
            fetches.put(Fetch.LOGIT_LENS, net.logitLens);
            fetches.put(Fetch.NEURONS, net.blocks.stream().map(Block.Output::neurons).toList());
        }
        return fetches;
    }

    private List<Output> unpack(KeyValueBatch past, List<KeyValueCache> caches, Map<Fetch, List<float[]>> fetched,
                                int s, int p, boolean inspect) {
        int b = caches.size();
        int layers = config.layers();
        int v = config.vocabulary();
        int h = config.heads();
        int d = config.headWidth();
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            KeyValueCache cache = caches.get(i);
            float[][] logits = new float[s][];
            for (int q = 0; q < s; q++) {
                logits[q] = Arrays.copyOfRange(fetched.get(Fetch.LOGITS).get(0), (i * s + q) * v, (i * s + q + 1) * v);
            }
            Inspection inspection = inspect ? inspect(fetched, i, s, p, cache.length()) : null;
            for (int l = 0; l < layers; l++) {
                float[] keys = fetched.get(Fetch.KEYS).get(l);
                float[] values = fetched.get(Fetch.VALUES).get(l);
                cache.append(cache.keys, l, keys, i * h * s * d, s);
                cache.append(cache.values, l, values, i * h * s * d, s);
                past.append(i, l, keys, values, i * h * s * d, s);
            }
            cache.advance(s);
            outputs.add(new Output(logits, inspection));
        }
        past.advanced();
        return outputs;
    }

    /** The last new position of text i: its attention over its real keys, residual norms, logit lens, neurons. */
    private Inspection inspect(Map<Fetch, List<float[]>> fetched, int i, int s, int p, int length) {
        int layers = config.layers();
        int h = config.heads();
        int c = config.width();
        int v = config.vocabulary();
        int m = config.mlpWidth();
        int q = s - 1;
        float[][][] attention = new float[layers][h][length + s];
        for (int l = 0; l < layers; l++) {
            float[] w = fetched.get(Fetch.ATTENTION).get(l);                 // (B, H, S, P+S)
            for (int head = 0; head < h; head++) {
                int row = ((i * h + head) * s + q) * (p + s);
                System.arraycopy(w, row, attention[l][head], 0, length);                 // cached keys
                System.arraycopy(w, row + p, attention[l][head], length, s);             // new keys
            }
        }
        float[] norms = new float[layers + 1];
        for (int l = 0; l <= layers; l++) {
            float[] x = fetched.get(Fetch.RESIDUALS).get(l);
            double sum = 0;
            int at = (i * s + q) * c;
            for (int k = 0; k < c; k++) {
                sum += x[at + k] * x[at + k];
            }
            norms[l] = (float) Math.sqrt(sum);
        }
        float[][] lens = new float[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            lens[l] = Arrays.copyOfRange(fetched.get(Fetch.LOGIT_LENS).get(l), (i * s + q) * v, (i * s + q + 1) * v);
        }
        float[][] neurons = new float[layers][];
        for (int l = 0; l < layers; l++) {
            neurons[l] = Arrays.copyOfRange(fetched.get(Fetch.NEURONS).get(l), (i * s + q) * m, (i * s + q + 1) * m);
        }
        return new Inspection(attention, norms, lens, neurons);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
