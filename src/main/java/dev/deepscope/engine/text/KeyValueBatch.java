package dev.deepscope.engine.text;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * The cached keys and values of one batch of texts as the tensors a forward pass is fed, (B, H, P, d) per layer,
 * kept between decoding steps. Built from the texts' {@link KeyValueCache}s (B·L·2 copies of H·P·d floats — at
 * B = 16, P = 128 about 8 MB) only when the batch changes: a text joins or leaves, one was read elsewhere, or
 * the padded length P grows (every 32 positions). At the other steps only each text's new row is written in.
 * Used by one thread, like the caches; close it to free the tensors.
 */
public final class KeyValueBatch implements AutoCloseable {

    private final GptConfig config;
    private final List<KeyValueCache> texts = new ArrayList<>();   // the batch the tensors hold, in order
    private long[] versions = new long[0];                            // each text's cache version they hold
    private int padded;                                                // P
    private TFloat32[] keys = new TFloat32[0];                         // per layer (B, H, P, d)
    private TFloat32[] values = new TFloat32[0];
    private FloatDataBuffer[] keyRows = new FloatDataBuffer[0];       // their native memory
    private FloatDataBuffer[] valueRows = new FloatDataBuffer[0];
    private long builds;

    public KeyValueBatch(GptConfig config) {
        this.config = config;
    }

    /** How many times the tensors were built from the caches (the other steps wrote one row per text). */
    public long builds() {
        return builds;
    }

    /** Makes the tensors hold these caches, in this order, padded to {@code p} ≥ every length. */
    void prepare(List<KeyValueCache> caches, int p) {
        if (!holds(caches, p)) {
            build(caches, p);
        }
    }

    TFloat32 keys(int layer) {
        return keys[layer];
    }

    TFloat32 values(int layer) {
        return values[layer];
    }

    /**
     * Writes text i's S new keys and values (H, S, d) of {@code layer}, read from a batch output at {@code offset},
     * into its rows length..length+S−1 (before the cache {@linkplain KeyValueCache#advance advances}); past P
     * they do not fit, and the next {@link #prepare} builds anew.
     */
    void append(int i, int layer, float[] newKeys, float[] newValues, int offset, int s) {
        int length = texts.get(i).length();
        if (length + s > padded) {
            versions[i] = -1;
            return;
        }
        int d = config.headWidth();
        int h = config.heads();
        for (int head = 0; head < h; head++) {
            long row = ((long) (i * h + head) * padded + length) * d;
            int from = offset + head * s * d;
            keyRows[layer].slice(row, (long) s * d).write(newKeys, from, s * d);
            valueRows[layer].slice(row, (long) s * d).write(newValues, from, s * d);
        }
    }

    /** After the caches advanced: the tensors now hold what the caches hold (unless a row did not fit). */
    void advanced() {
        for (int i = 0; i < texts.size(); i++) {
            if (versions[i] >= 0) {
                versions[i] = texts.get(i).version();
            }
        }
    }

    private boolean holds(List<KeyValueCache> caches, int p) {
        if (p != padded || caches.size() != texts.size()) {
            return false;
        }
        for (int i = 0; i < caches.size(); i++) {
            if (caches.get(i) != texts.get(i) || caches.get(i).version() != versions[i]) {
                return false;
            }
        }
        return true;
    }

    private void build(List<KeyValueCache> caches, int p) {
        close();
        int b = caches.size();
        int layers = config.layers();
        int h = config.heads();
        int d = config.headWidth();
        keys = new TFloat32[layers];
        values = new TFloat32[layers];
        keyRows = new FloatDataBuffer[layers];
        valueRows = new FloatDataBuffer[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = TFloat32.tensorOf(Shape.of(b, h, p, d));
            values[l] = TFloat32.tensorOf(Shape.of(b, h, p, d));
            keyRows[l] = keys[l].asRawTensor().data().asFloats();
            valueRows[l] = values[l].asRawTensor().data().asFloats();
            for (int i = 0; i < b; i++) {
                // cached rows go straight into the tensors' native memory: one copy, no Java batch array
                caches.get(i).writeInto(caches.get(i).keys, l, keyRows[l], (long) i * h * p * d, p);
                caches.get(i).writeInto(caches.get(i).values, l, valueRows[l], (long) i * h * p * d, p);
            }
        }
        texts.clear();
        texts.addAll(caches);
        versions = new long[b];
        for (int i = 0; i < b; i++) {
            versions[i] = caches.get(i).version();
        }
        padded = p;
        builds++;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
        keys = new TFloat32[0];
        values = new TFloat32[0];
        keyRows = new FloatDataBuffer[0];
        valueRows = new FloatDataBuffer[0];
        texts.clear();
        versions = new long[0];
        padded = 0;
    }
}
