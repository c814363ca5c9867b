package dev.deepscope.engine.text;

import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * One text's cached keys and values, per layer, for the tokens the model has already read. With them a
 * new token attends to the whole text by computing only its own query, key and value: the cost of a step
 * does not grow with the text before it (up to the context length T, where the text must be cut).
 */
public final class KeyValueCache {

    final float[][] keys;     // per layer (H, T, d), rows beyond length unused
    final float[][] values;   // per layer (H, T, d)
    private final GptConfig config;
    private final float[] zeros;
    private int length;
    private long version;     // changes whenever the cached rows do, so a KeyValueBatch can tell it is behind

    public KeyValueCache(GptConfig config) {
        this.config = config;
        int size = config.heads() * config.context() * config.headWidth();
        keys = new float[config.layers()][size];
        values = new float[config.layers()][size];
        zeros = new float[config.context() * config.headWidth()];
    }

    /** Tokens cached so far; the next token sits at this position. */
    public int length() {
        return length;
    }

    /** Room left before the context is full. */
    public int remaining() {
        return config.context() - length;
    }

    /** Forgets everything, e.g. to re-read the last part of a text that outgrew the context. */
    public void clear() {
        length = 0;
        version++;
    }

    /** Changes whenever the cached rows change (read further, or cleared). */
    long version() {
        return version;
    }

    /**
     * Writes this cache's layer straight into a batch tensor's rows (H, P, d) at {@code offset}, P ≥ length,
     * with zeros in the padding rows (they are masked, but 0 × NaN of uninitialised memory would not be 0).
     */
    void writeInto(float[][] source, int layer, FloatDataBuffer batch, long offset, int p) {
        int d = config.headWidth();
        for (int h = 0; h < config.heads(); h++) {
            long row = offset + (long) h * p * d;
            if (length > 0) {
                batch.slice(row, (long) length * d).write(source[layer], h * config.context() * d, length * d);
            }
            if (p > length) {
                batch.slice(row + (long) length * d, (long) (p - length) * d).write(zeros, 0, (p - length) * d);
            }
        }
    }

    /** Appends S new keys or values (H, S, d), read from a batch output at {@code offset}. */
    void append(float[][] target, int layer, float[] batch, int offset, int s) {
        int d = config.headWidth();
        for (int h = 0; h < config.heads(); h++) {
            System.arraycopy(batch, offset + h * s * d, target[layer], (h * config.context() + length) * d, s * d);
        }
    }

    void advance(int s) {
        length += s;
        version++;
    }
}
