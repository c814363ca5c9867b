package dev.deepscope.text;

import dev.deepscope.engine.text.GptInside;
import java.util.ArrayList;
import java.util.List;

/**
 * What the page is told about the inside of one forward pass at one position: one head's query, the keys and
 * values of the tokens up to it, the scores q·k/√d_k, the softmax weights and the weighted sum of values, as
 * the graph computed them; and per block what attention and the MLP added to the residual stream (norms, and
 * cosines with the stream each write is added to), the stream's norm and the logit lens.
 */
final class InsideReport {

    /** A write into the residual stream: its length ‖w‖ and cos(w, x) with the stream x it is added to. */
    record Write(double norm, double cosine) {
    }

    /** The residual stream x at the position: its length ‖x‖. */
    record Stream(double norm) {
    }

    /** The stream after the embedding, W_E[t] + W_pos[p], and the logit lens's best guesses from it. */
    record Embedding(Stream stream, List<TokenReport.Alternative> lens) {
    }

    /**
     * Block {@code block}: attention's write (cosine with the stream entering the block), the MLP's write (cosine
     * with the stream after attention's write), the stream leaving the block, and the lens softmax(LN_f(x)·W_U).
     */
    record ResidualBlock(int block, Write attentionWrite, Write mlpWrite, Stream stream,
                         List<TokenReport.Alternative> lens) {
    }

    /** The answer to {@code POST /api/text/inside}; arrays are [d_k], [n][d_k] or [n] with n = position + 1. */
    record Inside(List<TextToken> tokens, int position, int layer, int head, int headWidth, float[] query,
                  float[][] keys, float[][] values, float[] scores, float[] weights, float[] output,
                  Embedding embedding, List<ResidualBlock> residual) {
    }

    /** Tokens the logit lens lists per layer. */
    static final int LENS_TOP = 5;

    private InsideReport() {
    }

    static Inside of(List<TextToken> tokens, int position, int layer, int head, GptInside.View view,
                     BytePairEncoding tokenizer) {
        GptInside.Head h = view.head();
        List<ResidualBlock> residual = new ArrayList<>();
        for (int l = 0; l < view.blocks().size(); l++) {
            GptInside.Writes w = view.blocks().get(l);
            residual.add(new ResidualBlock(l, write(w.attentionWrite(), w.before()), write(w.mlpWrite(), w.afterAttention()),
                    new Stream(norm(w.after())), lens(view.logitLens()[l + 1], tokenizer)));
        }
        Embedding embedding = new Embedding(new Stream(norm(view.blocks().get(0).before())),
                lens(view.logitLens()[0], tokenizer));
        return new Inside(tokens, position, layer, head, h.query().length, h.query(), h.keys(), h.values(), h.scores(),
                h.weights(), h.output(), embedding, residual);
    }

    private static List<TokenReport.Alternative> lens(float[] logits, BytePairEncoding tokenizer) {
        return TokenReport.top(Sampler.softmax(logits, 1), LENS_TOP, tokenizer);
    }

    private static Write write(float[] w, float[] x) {
        double dot = 0;
        for (int i = 0; i < w.length; i++) {
            dot += (double) w[i] * x[i];
        }
        double nw = norm(w);
        double nx = norm(x);
        return new Write(nw, nw == 0 || nx == 0 ? 0 : dot / (nw * nx));
    }

    private static double norm(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
