package dev.deepscope.text.own;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueCache;
import java.util.List;

/**
 * Every head's attention over a short snippet: weights[layer][head][q][k] = softmax(q_q·k_kᵀ/√d)_k for keys
 * k = 0..q (causal, so row q has q + 1 entries), rounded to two decimals, which is what a heatmap cell can show.
 * Read token by token with a cache, each pass inspecting its last position.
 */
record AttentionPattern(long step, double seconds, double[][][][] weights) {

    static AttentionPattern of(GptModel model, int[] snippet, long step, double seconds) {
        int layers = model.config().layers();
        int heads = model.config().heads();
        double[][][][] weights = new double[layers][heads][snippet.length][];
        KeyValueCache cache = new KeyValueCache(model.config());
        for (int q = 0; q < snippet.length; q++) {
            float[][][] attention = model.read(List.of(cache), new int[][] {{snippet[q]}}, true).get(0)
                    .inspection().attention();                                    // [L][H][q + 1]
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    double[] row = new double[q + 1];
                    for (int k = 0; k <= q; k++) {
                        row[k] = Math.round(attention[l][h][k] * 100) / 100.0;
                    }
                    weights[l][h][q] = row;
                }
            }
        }
        return new AttentionPattern(step, seconds, weights);
    }
}
