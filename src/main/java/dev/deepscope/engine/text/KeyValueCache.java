package dev.deepscope.engine.text;

/**
 * One text's cached keys and values, per layer, for the tokens the model has already read. With them a
 * new token attends to the whole text by computing only its own query, key and value: the cost of a step
 * does not grow with the text before it (up to the context length T, where the text must be cut).
 */
public final class KeyValueCache {

    final float[][] keys;     // per layer (H, T, d), rows beyond length unused
    final float[][] values;   // per layer (H, T, d)
    private final GptConfig config;
    private int length;

    public KeyValueCache(GptConfig config) {
        this.config = config;
        int size = config.heads() * config.context() * config.headWidth();
        keys = new float[config.layers()][size];
        values = new float[config.layers()][size];
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
    }

    /** Copies this cache's layer into a batch tensor's rows (H, P, d) at {@code offset}, P ≥ length. */
    void copyInto(float[][] source, int layer, float[] batch, int offset, int p) {
        int d = config.headWidth();
        for (int h = 0; h < config.heads(); h++) {
            System.arraycopy(source[layer], h * config.context() * d, batch, offset + h * p * d, length * d);
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
    }
}
