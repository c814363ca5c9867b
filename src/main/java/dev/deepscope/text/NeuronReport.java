package dev.deepscope.text;

import java.util.List;

/**
 * The answer to {@code GET /api/text/neurons/{block}/{index}}: one neuron of one MLP block, what fires it in the
 * training text and what it writes, every number the shipped model's own.
 */
final class NeuronReport {

    /**
     * One neuron i of block {@code block}'s MLP, MLP(x) = W↓ GELU(W↑ x + b↑) + b↓: it reads a_i = GELU(w↑_i · x + b↑_i)
     * (x = LN₂ of the stream) and adds a_i · w↓_i to the stream.
     *
     * @param block       0..layers − 1
     * @param index       i, 0..neurons − 1
     * @param layers      blocks of the model
     * @param neurons     neurons per MLP block (4C)
     * @param terms       this neuron's weights, summarised
     * @param corpus      what text was read and how
     * @param contexts    the training text's tokens that fired it most, largest activation first
     * @param pushFormula how {@code up} and {@code down} are computed
     * @param up          the tokens whose logits w↓_i raises most per unit of a_i, largest first
     * @param down        the tokens it lowers most, most negative first
     */
    record Neuron(int block, int index, int layers, int neurons, Terms terms, String corpus, List<Context> contexts,
                  String pushFormula, List<Push> up, List<Push> down) {
    }

    /**
     * Neuron i's own terms of the formula.
     *
     * @param upBias   b↑_i
     * @param upNorm   ‖w↑_i‖, the length of what it reads (column i of W↑)
     * @param downNorm ‖w↓_i‖, the length of what it writes per unit of a_i (column i of W↓)
     */
    record Terms(double upBias, double upNorm, double downNorm) {
    }

    /**
     * A token that fired the neuron, in its text.
     *
     * @param rank       0 for the largest activation
     * @param position   the token's index in the training text's tokens
     * @param start      the first token of the window the model read it in: the activation is its forward pass over
     *                   tokens start..position
     * @param token      the firing token
     * @param before     the text of up to {@link TextNeurons#BEFORE} tokens before it (from {@code start} at most)
     * @param after      the text of the {@link TextNeurons#AFTER} tokens after it, which the model had not read yet
     * @param activation a_i at the token
     */
    record Context(int rank, int position, int start, TextToken token, String before, String after,
                   double activation) {
    }

    /** A token of the vocabulary and how much w↓_i moves its logit per unit of a_i. */
    record Push(int id, String label, double value) {
    }

    private NeuronReport() {
    }

    /** The shown text of some tokens: their characters, joined. */
    static String text(List<TextToken> tokens) {
        StringBuilder out = new StringBuilder();
        tokens.forEach(t -> out.append(t.text()));
        return out.toString();
    }
}
