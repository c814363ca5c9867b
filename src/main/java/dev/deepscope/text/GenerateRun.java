package dev.deepscope.text;

import dev.deepscope.runs.RunCancelledException;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A {@code generate} run: a {@code prompt} event with the prompt's tokens, a {@code token} event per written
 * token (with {@code attention} events per layer and head when asked), then {@code done} with the text.
 * The tokens come from the shared {@link DecodingLoop}, batched with every other text being written.
 */
@Component
class GenerateRun implements RunWorker<GenerateParams> {

    record PromptToken(int id, String text) {
    }

    private final TextModel model;

    GenerateRun(TextModel model) {
        this.model = model;
    }

    @Override
    public String kind() {
        return KIND;
    }

    static final String KIND = "generate";

    /** The prompt (shown escaped) and the sampling settings, for the history panel. */
    @Override
    public RunSummary summarize(GenerateParams params) {
        String prompt = params.prompt() == null ? "" : params.prompt();
        String shown = prompt.length() > 80 ? prompt.substring(0, 80) + "…" : prompt;
        return new RunSummary("“" + shown + "” (T = " + params.temperature() + ", seed " + params.seed() + ")", null);
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
        List<PromptToken> promptTokens = new ArrayList<>();
        for (int id : prompt) {
            promptTokens.add(new PromptToken(id, tokenizer.tokenText(id)));
        }
        context.emit("prompt", Map.of("tokens", promptTokens));
        long start = System.nanoTime();
        long firstToken = 0;
        List<Integer> written = new ArrayList<>();
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
                if (written.isEmpty()) {
                    firstToken = System.nanoTime();
                }
                written.add(token.id());
                context.emit("token", TokenReport.token(token, tokenizer));
                if (params.attention() && token.inspection() != null) {
                    for (TokenReport.AttentionEvent attention : TokenReport.attention(token)) {
                        context.emit("attention", attention);
                    }
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
        done.put("text", tokenizer.decode(written.stream().mapToInt(Integer::intValue).toArray()));
        done.put("tokens", written.size());
        done.put("tokensPerSecond", written.size() / Math.max(seconds, 1e-9));
        done.put("timeToFirstTokenMs", (firstToken - start) / 1e6);
        return done;
    }
}
