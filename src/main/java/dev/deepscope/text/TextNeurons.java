package dev.deepscope.text;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptNeurons;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The MLP block as fact storage: for any neuron of the shipped GPT, the training text's tokens that fired it most
 * (read once by {@code IndexNeuronContexts} and shipped, see {@link NeuronContexts}) and the tokens its output
 * column pushes up and down through the unembedding ({@link GptNeurons#push}). Holds the shipped contexts and
 * each block's MLP weights, read once at start (about 3 MB for the shipped model).
 */
@Component
public class TextNeurons {

    /** Tokens of text shown before a firing token, and after it. */
    static final int BEFORE = 24;
    static final int AFTER = 8;
    /** Tokens listed as pushed up, and as pushed down. */
    static final int PUSHED = 10;
    static final String PUSH_FORMULA = "push_v = Σ_c W_U[c, v] · γ_c · (w↓_i[c] − mean(w↓_i)): neuron i's output "
            + "column through the final LayerNorm's centring and gain γ, then the unembedding W_U, per unit of a_i; "
            + "the LayerNorm's division by σ (positive, the same for every token, so it keeps the order) and its bias β "
            + "(the same for every neuron) are left out";

    private static final Logger LOG = LoggerFactory.getLogger(TextNeurons.class);

    private final TextModel model;
    private final NeuronContexts contexts;
    private final List<GptNeurons.Weights> weights;

    TextNeurons(TextModel model) {
        long t0 = System.nanoTime();
        this.model = model;
        this.contexts = NeuronContexts.shipped(model.manifest().path("sha256"));
        GptConfig config = model.config();
        if (contexts.layers() != config.layers() || contexts.neurons() != config.mlpWidth()) {
            throw new IllegalStateException("the shipped neuron contexts are for another shape of model");
        }
        this.weights = IntStream.range(0, config.layers()).mapToObj(l -> GptNeurons.weights(model.model(), l)).toList();
        LOG.info("MLP neurons: {} top contexts over {} training tokens and the blocks' weights read in {} ms",
                layers() * neurons() * contexts.top(), contexts.length(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Blocks 0..layers − 1 of the served model. */
    public int layers() {
        return contexts.layers();
    }

    /** Neurons per MLP block (4C). */
    public int neurons() {
        return contexts.neurons();
    }

    /** Neuron {@code index} of block {@code block}, both in range (IllegalArgumentException otherwise). */
    NeuronReport.Neuron report(int block, int index) {
        if (block < 0 || block >= layers() || index < 0 || index >= neurons()) {
            throw new IllegalArgumentException("no neuron " + index + " in block " + block);
        }
        GptNeurons.Weights w = weights.get(block);
        float[] push = GptNeurons.push(w, index);
        Integer[] order = IntStream.range(0, push.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(v -> -push[v]));
        List<NeuronReport.Push> up = new ArrayList<>();
        List<NeuronReport.Push> down = new ArrayList<>();
        for (int r = 0; r < PUSHED; r++) {
            up.add(pushed(order[r], push));
            down.add(pushed(order[order.length - 1 - r], push));
        }
        double upNorm = 0;
        for (float[] row : w.up()) {
            upNorm += row[index] * row[index];
        }
        double downNorm = 0;
        for (float x : w.down()[index]) {
            downNorm += x * x;
        }
        NeuronReport.Terms terms = new NeuronReport.Terms(w.upBias()[index], Math.sqrt(upNorm), Math.sqrt(downNorm));
        return new NeuronReport.Neuron(block, index, layers(), neurons(), terms, corpus(), fired(block, index),
                PUSH_FORMULA, up, down);
    }

    private List<NeuronReport.Context> fired(int block, int index) {
        List<NeuronReport.Context> fired = new ArrayList<>();
        for (int rank = 0; rank < contexts.top(); rank++) {
            int position = contexts.position(block, index, rank);
            if (position < 0) {
                break;
            }
            int start = contexts.start(block, index, rank);
            int from = Math.max(start, position - BEFORE);
            // one decoding of the whole excerpt, so a character split over tokens comes out whole
            List<TextToken> shown = model.tokenizer().tokens(contexts.tokens(from, position + 1 + AFTER));
            int at = position - from;
            fired.add(new NeuronReport.Context(rank, position, start, shown.get(at),
                    NeuronReport.text(shown.subList(0, at)), NeuronReport.text(shown.subList(at + 1, shown.size())),
                    contexts.activation(block, index, rank)));
        }
        return fired;
    }

    private String corpus() {
        String sample = contexts.read() < contexts.length()
                ? String.format(Locale.ROOT, "; a sample: its first %,d tokens", contexts.read()) : "";
        return String.format(Locale.ROOT, "chapters 1–120 of Moby-Dick, the text the model was trained on (%,d", contexts.length())
                + " tokens" + sample + "), read once in windows of " + model.config().context() + " tokens moved by "
                + model.config().context() / 2 + "; each token read with at least " + model.config().context() / 2
                + " tokens before it (except in the first window)";
    }

    private NeuronReport.Push pushed(int id, float[] push) {
        return new NeuronReport.Push(id, model.tokenizer().tokenLabel(id), push[id]);
    }
}
