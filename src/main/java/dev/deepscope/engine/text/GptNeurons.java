package dev.deepscope.engine.text;

import dev.deepscope.engine.FloatTensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The MLP blocks' hidden neurons: what they read, a_i = GELU(w↑_i · LN₂(x) + b↑_i), over whole texts, and what each
 * writes, a_i · w↓_i added to the residual stream, read out through the unembedding.
 */
public final class GptNeurons {

    /**
     * The weights one neuron's story needs, as the served session holds them.
     *
     * @param down        W↓ of the block (4C, C): row i is neuron i's output column w↓_i, what it adds per unit of a_i
     * @param up          W↑ of the block (C, 4C): column i is w↑_i, what neuron i reads from LN₂(x)
     * @param upBias      b↑ (4C)
     * @param finalGain   γ of the final LayerNorm (C)
     * @param unembedding W_U (C, V)
     */
    public record Weights(float[][] down, float[][] up, float[] upBias, float[] finalGain, float[][] unembedding) {
    }

    private GptNeurons() {
    }

    /**
     * Every block's neuron activations for texts of equal length (each 1..T tokens) read from scratch:
     * [layer][(b·S + s)·4C + i] = a_i at token s of text b, the GELU output the MLP's down projection multiplies.
     * Token s's activations depend on tokens 0..s of its text only (the causal mask).
     */
    public static float[][] activations(GptModel model, int[][] texts) {
        GptConfig config = model.config();
        for (int[] text : texts) {
            if (text.length < 1 || text.length > config.context() || text.length != texts[0].length) {
                throw new IllegalArgumentException("texts of one length, 1.." + config.context() + " tokens");
            }
        }
        List<Operand<TFloat32>> fetches = model.graph().blocks.stream().map(Block.Output::neurons).toList();
        return GptInside.run(model, texts, Map.of(), fetches).toArray(float[][]::new);
    }

    /** The weights of block {@code block}'s MLP and the unembedding; IllegalArgumentException if there is no such block. */
    public static Weights weights(GptModel model, int block) {
        GptConfig config = model.config();
        if (block < 0 || block >= config.layers()) {
            throw new IllegalArgumentException("no block " + block);
        }
        String mlp = "block" + block + "_mlp";
        Map<String, float[]> read = read(model, List.of(mlp + "_down", mlp + "_up", mlp + "_up_bias", "final_ln_gain",
                "unembedding"));
        int c = config.width();
        int m = config.mlpWidth();
        return new Weights(FloatTensors.rows(read.get(mlp + "_down"), m, c), FloatTensors.rows(read.get(mlp + "_up"), c, m),
                read.get(mlp + "_up_bias"), read.get("final_ln_gain"), FloatTensors.rows(read.get("unembedding"), c,
                        config.vocabulary()));
    }

    /**
     * What neuron {@code neuron}'s output column pushes each token's logit by, per unit of its activation [V]:
     * push_v = Σ_c W_U[c, v] · γ_c · (w↓_c − mean(w↓)), i.e. w↓ through the final LayerNorm's centring and gain γ
     * and then W_U. It leaves out the LayerNorm's division by σ (positive and the same for every token at a
     * position, so it scales the pushes without reordering them) and its bias β (the same whatever the neuron).
     */
    public static float[] push(Weights weights, int neuron) {
        if (neuron < 0 || neuron >= weights.down().length) {
            throw new IllegalArgumentException("no neuron " + neuron);
        }
        float[] w = weights.down()[neuron];
        double mean = 0;
        for (float x : w) {
            mean += x;
        }
        mean /= w.length;
        int v = weights.unembedding()[0].length;
        double[] push = new double[v];
        for (int c = 0; c < w.length; c++) {
            double scaled = weights.finalGain()[c] * (w[c] - mean);
            float[] row = weights.unembedding()[c];
            for (int t = 0; t < v; t++) {
                push[t] += scaled * row[t];
            }
        }
        float[] out = new float[v];
        for (int t = 0; t < v; t++) {
            out[t] = (float) push[t];
        }
        return out;
    }

    private static Map<String, float[]> read(GptModel model, List<String> names) {
        Map<String, GptWeights.Parameter> byName = new HashMap<>();
        model.graph().weights.all().forEach(p -> byName.put(p.name(), p));
        Session.Runner runner = model.session().runner();
        names.forEach(name -> runner.fetch(byName.get(name).read()));
        try (Result result = runner.run()) {
            Map<String, float[]> values = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), FloatTensors.toArray((TFloat32) result.get(i)));
            }
            return values;
        }
    }
}
