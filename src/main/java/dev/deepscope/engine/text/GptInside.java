package dev.deepscope.engine.text;

import dev.deepscope.engine.FloatTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The served model read over one whole text (at most T tokens, from scratch, no cache) with its inner values
 * fetched from the graph: one head at one position (query, keys, values, scores, weights, output) and what each
 * block wrote into the residual stream there; or the same pass with heads or MLPs knocked out.
 */
public final class GptInside {

    /**
     * One head at position p over the keys of tokens 0..p (n = p + 1), as the forward pass computed them.
     *
     * @param query   q_p [d_head]
     * @param keys    k_0..k_p [n][d_head]
     * @param values  v_0..v_p [n][d_head]
     * @param scores  q_p·k_j/√d_head [n]
     * @param weights softmax(scores) [n]
     * @param output  Σ_j w_j v_j [d_head], what the head hands to W_O
     */
    public record Head(float[] query, float[][] keys, float[][] values, float[] scores, float[] weights,
                       float[] output) {
    }

    /**
     * What one block did to the residual stream at the position, each [C]: the stream entering it, attention's
     * write, the stream after that write, the MLP's write, and the stream leaving the block.
     */
    public record Writes(float[] before, float[] attentionWrite, float[] afterAttention, float[] mlpWrite,
                         float[] after) {
    }

    /** One head's inside, every block's writes [L], and the logit lens LN_f(x)·W_U after the embedding and each block [L+1][V]. */
    public record View(Head head, List<Writes> blocks, float[][] logitLens) {
    }

    /** A part to switch off: head {@code head} of block {@code block}, or, with head −1, that block's MLP. */
    public record Knockout(int block, int head) {

        public static final int MLP = -1;
    }

    private GptInside() {
    }

    /**
     * Reads {@code tokens} (1..T of them) and fetches, at {@code position}, head {@code head} of block
     * {@code layer} and every block's writes. Arguments out of range throw IllegalArgumentException.
     */
    public static View look(GptModel model, int[] tokens, int position, int layer, int head) {
        GptConfig config = model.config();
        check(config, tokens);
        if (position < 0 || position >= tokens.length || layer < 0 || layer >= config.layers()
                || head < 0 || head >= config.heads()) {
            throw new IllegalArgumentException("position, layer or head out of range");
        }
        GptGraph net = model.graph();
        CausalSelfAttention.Output attention = net.blocks.get(layer).attention();
        List<Operand<TFloat32>> fetches = new ArrayList<>(List.of(attention.queries(), attention.keys(),
                attention.values(), attention.scores(), attention.weights(), attention.heads()));
        for (Block.Output block : net.blocks) {
            fetches.addAll(List.of(block.attentionWrite(), block.afterAttention(), block.mlpWrite()));
        }
        fetches.addAll(net.residuals);
        fetches.addAll(net.logitLens);
        List<float[]> f = run(model, new int[][] {tokens}, Map.of(), fetches);
        int s = tokens.length;
        int d = config.headWidth();
        int c = config.width();
        int n = position + 1;
        int row = head * s + position;                                   // (1, H, S, ·) at [0, head, position]
        float[][] keys = new float[n][];
        float[][] values = new float[n][];
        for (int j = 0; j < n; j++) {
            keys[j] = slice(f.get(1), (head * s + j) * d, d);
            values[j] = slice(f.get(2), (head * s + j) * d, d);
        }
        Head inside = new Head(slice(f.get(0), row * d, d), keys, values, slice(f.get(3), row * s, n),
                slice(f.get(4), row * s, n), slice(f.get(5), row * d, d));
        int layers = config.layers();
        int residuals = 6 + 3 * layers;
        List<Writes> blocks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int at = 6 + 3 * l;
            blocks.add(new Writes(slice(f.get(residuals + l), position * c, c), slice(f.get(at), position * c, c),
                    slice(f.get(at + 1), position * c, c), slice(f.get(at + 2), position * c, c),
                    slice(f.get(residuals + l + 1), position * c, c)));
        }
        int v = config.vocabulary();
        float[][] lens = new float[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            lens[l] = slice(f.get(residuals + layers + 1 + l), position * v, v);
        }
        return new View(inside, blocks, lens);
    }

    /**
     * The logits after the last of {@code tokens} [2][V]: [0] the model as trained, [1] with the {@code knockouts}
     * switched off (a head's output zeroed before W_O; an MLP's write zeroed).
     */
    public static float[][] nextLogits(GptModel model, int[] tokens, List<Knockout> knockouts) {
        GptConfig config = model.config();
        check(config, tokens);
        int h = config.heads();
        int layers = config.layers();
        float[][] headGates = new float[layers][2 * h];                 // (2, H, 1, 1): row 0 all kept
        float[][] mlpGates = new float[layers][2];                      // (2, 1, 1)
        for (int l = 0; l < layers; l++) {
            Arrays.fill(headGates[l], 1f);
            Arrays.fill(mlpGates[l], 1f);
        }
        for (Knockout k : knockouts) {
            if (k.block() < 0 || k.block() >= layers || k.head() < Knockout.MLP || k.head() >= h) {
                throw new IllegalArgumentException("no such part: " + k);
            }
            if (k.head() == Knockout.MLP) {
                mlpGates[k.block()][1] = 0f;
            } else {
                headGates[k.block()][h + k.head()] = 0f;
            }
        }
        GptGraph net = model.graph();
        int s = tokens.length;
        int v = config.vocabulary();
        float[][] next = new float[2][];
        // two passes of one text, not one of two: the batch's rows share each matrix product, and a row's last
        // bits depend on where it sits in the product, so only apart is "nothing knocked out" exactly the model
        for (int r = 0; r < 2; r++) {
            Map<Operand<TFloat32>, TFloat32> feeds = new LinkedHashMap<>();
            try {
                for (int l = 0; l < layers; l++) {
                    feeds.put(net.headGates.get(l), TFloat32.tensorOf(Shape.of(1, h, 1, 1),
                            DataBuffers.of(Arrays.copyOfRange(headGates[l], r * h, (r + 1) * h), true, false)));
                    feeds.put(net.mlpGates.get(l), TFloat32.tensorOf(Shape.of(1, 1, 1),
                            DataBuffers.of(new float[] {mlpGates[l][r]}, true, false)));
                }
                float[] logits = run(model, new int[][] {tokens}, feeds, List.of(net.logits)).get(0); // (1, S, V)
                next[r] = slice(logits, (s - 1) * v, v);
            } finally {
                feeds.values().forEach(Tensor::close);
            }
        }
        return next;
    }

    private static void check(GptConfig config, int[] tokens) {
        if (tokens.length < 1 || tokens.length > config.context()) {
            throw new IllegalArgumentException("a text of 1.." + config.context() + " tokens, not " + tokens.length);
        }
    }

    /**
     * One forward pass over whole texts of equal length: no cached keys (P = 0), the causal mask, the extra
     * feeds (the caller closes them); each fetched tensor flattened.
     */
    private static List<float[]> run(GptModel model, int[][] texts, Map<Operand<TFloat32>, TFloat32> extra,
                                     List<Operand<TFloat32>> fetches) {
        GptGraph net = model.graph();
        GptConfig config = model.config();
        int b = texts.length;
        int s = texts[0].length;
        float[] mask = new float[s * s];                                 // (1, 1, S, S): 0 on and below the diagonal
        for (int q = 0; q < s; q++) {
            Arrays.fill(mask, q * s + q + 1, (q + 1) * s, -1e9f);
        }
        List<Tensor> inputs = new ArrayList<>();
        try {
            Session.Runner runner = model.session().runner();
            runner.feed(net.tokens, track(inputs, TokenTensors.matrix(texts)));
            runner.feed(net.positions, track(inputs, TokenTensors.positions(b, s, 0)));
            runner.feed(net.maskBias, track(inputs, TFloat32.tensorOf(Shape.of(1, 1, s, s), DataBuffers.of(mask, true, false))));
            Shape none = Shape.of(b, config.heads(), 0, config.headWidth());
            for (int l = 0; l < config.layers(); l++) {
                runner.feed(net.pastKeys.get(l), track(inputs, TFloat32.tensorOf(none)));
                runner.feed(net.pastValues.get(l), track(inputs, TFloat32.tensorOf(none)));
            }
            extra.forEach(runner::feed);
            fetches.forEach(runner::fetch);
            try (Result result = runner.run()) {
                List<float[]> fetched = new ArrayList<>(fetches.size());
                for (int i = 0; i < fetches.size(); i++) {
                    fetched.add(FloatTensors.toArray((TFloat32) result.get(i)));
                }
                return fetched;
            }
        } finally {
            inputs.forEach(Tensor::close);
        }
    }

    private static <T extends Tensor> T track(List<Tensor> inputs, T tensor) {
        inputs.add(tensor);
        return tensor;
    }

    private static float[] slice(float[] flat, int from, int length) {
        return Arrays.copyOfRange(flat, from, from + length);
    }
}
