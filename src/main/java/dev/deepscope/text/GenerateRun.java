package dev.deepscope.text;

import dev.deepscope.runs.RunCancelledException;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code generate} run: a {@code prompt} event with the prompt's tokens, a {@code token} event per written
 * token (followed by its {@code attention}, all layers and heads, when asked), then {@code done} with the text.
 * The tokens come from the shared {@link DecodingLoop}, batched with every other text being written, which
 * emits them itself.
 */
@Component
class GenerateRun implements RunWorker<GenerateParams> {

    private final TextModel model;

    GenerateRun(TextModel model) {
        this.model = model;
    }

    @Override
    public String kind() {
        return KIND;
    }

    static final String KIND = "generate";

    /** The prompt, cut short (shown escaped), the sampling settings and how much was written, for the history panel. */
    @Override
    public RunSummary summarize(GenerateParams params, JsonNode result) {
        String prompt = params.prompt() == null ? "" : params.prompt();
        String written = result == null ? "" : result.path("text").asString("");
        String settings = " (T = " + params.temperature() + ", seed " + params.seed() + ")";
        String tokens = result == null ? "" : " → " + result.path("tokens").asInt() + " tokens";
        return new RunSummary("“" + shorten(prompt, 60) + "”" + settings + tokens, TextThumbnail.of(prompt, written));
    }

    /** At most {@code max} characters, never cutting a character that takes two UTF-16 units in half. */
    private static String shorten(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max)).stripTrailing() + "…";
    }

    @Override
    public Class<GenerateParams> paramsType() {
        return GenerateParams.class;
    }

    @Override
    public void validate(GenerateParams params) {
        params.validate(model.config().vocabulary());
    }


    /** The {@code prompt} event: the prompt's tokens. */
    record PromptEvent(List<TextToken> tokens) {
    }

    /** The {@code done} event: the text written, how many tokens, how fast, and the time to the first token. */
    record Done(String text, int tokens, double tokensPerSecond, double timeToFirstTokenMs) {
    }

    /**
     * Reads the prompt here, then hands the text to the shared {@link DecodingLoop} and returns at once: the
     * loop emits each token through {@code context} as it is chosen and the run ends when the text does, so
     * the run holds no thread while it is written. A cancelled run (by DELETE, or every viewer gone) stops at
     * its next token, when emitting throws.
     */
    @Override
    public CompletableFuture<Done> execute(GenerateParams params, RunContext context) {
        BytePairEncoding tokenizer = model.tokenizer();
        int[] prompt = tokenizer.encode(params.prompt());
        context.emit("prompt", new PromptEvent(tokenizer.tokens(prompt)));
        Writing writing = new Writing(params.attention(), context, tokenizer);
        model.decoding().submit(new DecodingLoop.Request(prompt, params.maxTokens(), params.sampling(), params.seed(),
                true), writing);
        return writing.done;
    }

    /** One text as the decoding loop writes it: its events, its characters so far, and its end. */
    private static final class Writing implements DecodingLoop.Listener {
        private final boolean attention;
        private final RunContext context;
        private final BytePairEncoding tokenizer;
        // the prompt is whole characters, so the written text decodes on its own, token by token
        private final Utf8Text.Stream characters = new Utf8Text.Stream();
        private final StringBuilder text = new StringBuilder();
        private final long start = System.nanoTime();
        private final CompletableFuture<Done> done = new CompletableFuture<>();
        private long firstToken;
        private int written;

        Writing(boolean attention, RunContext context, BytePairEncoding tokenizer) {
            this.attention = attention;
            this.context = context;
            this.tokenizer = tokenizer;
        }

        @Override
        public void token(DecodingLoop.Token token) {
            if (written++ == 0) {
                firstToken = token.chosenAt();
            }
            String completed = characters.next(tokenizer.tokenBytes(token.id()));
            text.append(completed);
            context.emit("token", TokenReport.token(token, completed, tokenizer));
            if (attention && token.inspection() != null) {
                context.emit("attention", TokenReport.attention(token));
            }
        }

        @Override
        public void end(RuntimeException failure) {
            if (failure instanceof CancellationException) {
                done.completeExceptionally(new RunCancelledException("The server is stopping."));
            } else if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                double seconds = (System.nanoTime() - start) / 1e9;
                done.complete(new Done(text.append(characters.end()).toString(), written,
                        written / Math.max(seconds, 1e-9), (firstToken - start) / 1e6));
            }
        }
    }
}
