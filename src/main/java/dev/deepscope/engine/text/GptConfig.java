package dev.deepscope.engine.text;

/**
 * The shape of a decoder-only transformer.
 *
 * @param vocabulary tokens the model reads and predicts (V)
 * @param context    the longest text it attends over (T)
 * @param width      the residual stream's dimension (C = d_model)
 * @param layers     transformer blocks, each attention then MLP (L)
 * @param heads      attention heads per block (H); each head works in C / H dimensions
 */
public record GptConfig(int vocabulary, int context, int width, int layers, int heads) {

    public GptConfig {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
    }

    /** The shipped model: 4 blocks of 4 heads, a 128-wide residual stream, 128 tokens of context. */
    public static GptConfig small(int vocabulary) {
        return new GptConfig(vocabulary, 128, 128, 4, 4);
    }

    /** d_head = C / H, the width of one head's queries, keys and values. */
    public int headWidth() {
        return width / heads;
    }

    /** The MLP's hidden layer is 4 × C wide, as in GPT-2. */
    public int mlpWidth() {
        return 4 * width;
    }

    /** W_E + W_pos + per block (4C² attention + 8C² MLP + biases + 2 LayerNorms) + final LN + W_U. */
    public long parameterCount() {
        long c = width;
        long block = 4 * c * c + 2 * c * mlpWidth() + mlpWidth() + c + 4 * c;
        return (long) vocabulary * c + (long) context * c + layers * block + 2 * c + c * vocabulary;
    }

    public String description() {
        return layers + " blocks × " + heads + " heads, width " + width + ", context " + context
                + ", vocabulary " + vocabulary + ", pre-LayerNorm, GELU MLP";
    }
}
