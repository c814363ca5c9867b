package dev.deepscope.text;

import dev.deepscope.web.Callers;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.clients.Caller;
import dev.deepscope.runs.OnTensorFlow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Chapter 3 over HTTP: tokenize (ours or GPT-2's), score a text's surprisal (the embeddings: {@link EmbeddingsApi}). */
@RestController
@RequestMapping("/api/text")
@Tag(name = "text", description = "Chapter 3, architecture: the small GPT's tokenizer, surprisal and embeddings")
class TextApi {

    static final int MAX_TEXT = 20_000;

    record TokenizeRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = MAX_TEXT) String text,
                           @Schema(allowableValues = {"model", "gpt2"}, defaultValue = "model") String tokenizer) {
    }

    record Tokenized(String tokenizer, int vocabulary, List<TextToken> tokens) {
    }

    record ScoreRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TEXT)
                        String text) {
    }

    /** A token of the scored text (text and label as in {@link TextToken}) and its surprisal in bits. */
    record ScoredToken(int id, String text, String label, double bits) {
    }

    record Score(List<ScoredToken> tokens, double bitsPerChar, double bitsPerToken) {
    }

    private final TextModel model;
    private final Gpt2Tokenizer gpt2;
    private final OnTensorFlow tensorflow;

    TextApi(TextModel model, Gpt2Tokenizer gpt2, OnTensorFlow tensorflow) {
        this.model = model;
        this.gpt2 = gpt2;
        this.tensorflow = tensorflow;
    }

    /** Byte-pair encoding of up to 20,000 characters is work: off the event loop, within the caller's share. */
    @PostMapping(value = "/tokenize", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Split a text into tokens: the model's byte-pair encoding or GPT-2's")
    Mono<Tokenized> tokenize(@RequestBody TokenizeRequest request, ServerWebExchange exchange) {
        String text = checkText(request.text(), true);
        String which = request.tokenizer() == null ? "model" : request.tokenizer();
        if (!which.equals("model") && !which.equals("gpt2")) {
            throw new InvalidFieldException("tokenizer", "must be \"model\" or \"gpt2\"");
        }
        return tensorflow.call(Callers.of(exchange), () -> which.equals("model")
                ? new Tokenized("model", model.tokenizer().vocabularySize(),
                        model.tokenizer().tokens(model.tokenizer().encode(text)))
                : new Tokenized("gpt2", Gpt2Tokenizer.VOCABULARY, gpt2.tokenize(text)));
    }

    /** Surprisal −log₂ p(token | before) per token; computed on a TensorFlow thread, 429 when busy. */
    @PostMapping(value = "/score", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Each token's surprisal −log₂ p(token | before), in bits")
    Mono<Score> score(@RequestBody ScoreRequest request, ServerWebExchange exchange) {
        String text = checkText(request.text(), false);
        return tensorflow.call(Callers.of(exchange), () -> {
            Surprisal.Scored scored = model.score(text);
            List<TextToken> spelled = model.tokenizer().tokens(scored.ids());
            List<ScoredToken> tokens = new ArrayList<>();
            for (int i = 0; i < spelled.size(); i++) {
                TextToken t = spelled.get(i);
                tokens.add(new ScoredToken(t.id(), t.text(), t.label(), scored.bits()[i]));
            }
            return new Score(tokens, scored.bitsPerChar(), scored.bitsPerToken());
        });
    }

    /** Present (and not empty unless allowed), at most {@link #MAX_TEXT} characters, and well-formed Unicode. */
    private static String checkText(String text, boolean emptyAllowed) {
        if (text == null || (!emptyAllowed && text.isEmpty())) {
            throw new InvalidFieldException("text", "must be 1.." + MAX_TEXT + " characters");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidFieldException("text", "must be at most " + MAX_TEXT + " characters, was " + text.length());
        }
        return WellFormedText.check("text", text);
    }

}
