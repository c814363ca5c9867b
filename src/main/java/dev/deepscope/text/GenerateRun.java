package dev.deepscope.text;

import dev.deepscope.runs.RunCancelledException;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code generate} run: a {@code prompt} event with the prompt's tokens, a {@code token} event per written
 * token (followed by its {@code attention}, all layers and heads, when asked), then {@code done} with the text.
 * The tokens come from the shared {@link DecodingLoop}, batched with every other text being written.
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


    @Override
    public Object execute(GenerateParams params, RunContext context) {
        BytePairEncoding tokenizer = model.tokenizer();
        int[] prompt = tokenizer.encode(params.prompt());
        context.emit("prompt", Map.of("tokens", tokenizer.tokens(prompt)));
        long start = System.nanoTime();
        long firstToken = 0;
        int written = 0;
        // the prompt is whole characters, so the written text decodes on its own, token by token
        Utf8Text.Stream characters = new Utf8Text.Stream();
        StringBuilder text = new StringBuilder();
        DecodingLoop.Stream stream = model.decoding().submit(new DecodingLoop.Request(prompt, params.maxTokens(),
                params.sampling(), params.seed(), true));
        try {
            while (true) {
                DecodingLoop.Event event = stream.next();
                if (event instanceof DecodingLoop.End end) {
                    if (end.failure() != null) {
                        throw end.failure();
                    }
                    break;
                }
                DecodingLoop.Token token = (DecodingLoop.Token) event;
                if (written++ == 0) {
                    firstToken = System.nanoTime();
                }
                String completed = characters.next(tokenizer.tokenBytes(token.id()));
                text.append(completed);
                context.emit("token", TokenReport.token(token, completed, tokenizer));
                if (params.attention() && token.inspection() != null) {
                    context.emit("attention", TokenReport.attention(token));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunCancelledException("The server is stopping.");
        } finally {
            stream.cancel();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("text", text.append(characters.end()).toString());
        done.put("tokens", written);
        done.put("tokensPerSecond", written / Math.max(seconds, 1e-9));
        done.put("timeToFirstTokenMs", (firstToken - start) / 1e6);
        return done;
    }
}
