package dev.deepscope.text;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.OnTensorFlow;
import dev.deepscope.web.Callers;
import dev.deepscope.web.SerializedAnswers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The token embeddings W_E over HTTP: a token's nearest tokens by cosine (with the dot products and lengths that
 * make each cosine), vector arithmetic a − b + c, and the 2-D picture of every token.
 *
 * <p>A token is named by its exact text, read by the model's tokenizer as written: a word in the middle of a
 * sentence is a different token from the same word at the start, because it carries its leading space
 * ({@code " whale"}, not {@code "whale"}). Nothing is guessed: the page adds the space when the learner asks it to.
 */
@RestController
@RequestMapping("/api/text/embeddings")
@Tag(name = "text", description = "Chapter 3, architecture: the small GPT's tokenizer, surprisal and embeddings")
class EmbeddingsApi {

    /** Characters of a token's text; a longer text is no token, and is read as several. */
    static final int MAX_TOKEN_TEXT = 100;
    static final int MAX_COUNT = 100;

    /**
     * A token (id, label, length ‖e‖) and the tokens nearest it; {@code pieces} are the tokens the asked text reads
     * as (the answer is the first's: the learner may ask for another by id), or the one token asked for by id.
     */
    record Neighbours(int id, String label, double norm, List<TextToken> pieces,
                      List<EmbeddingSpace.Neighbour> neighbours) {
    }

    record ArithmeticRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TOKEN_TEXT,
                    description = "the exact text of one token of the model, e.g. \" whale\" with its leading space",
                    example = " sea") String a,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TOKEN_TEXT,
                    description = "the exact text of one token, subtracted", example = " whale") String b,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TOKEN_TEXT,
                    description = "the exact text of one token, added", example = " ship") String c,
            @Schema(minimum = "1", maximum = "100", defaultValue = "10", description = "how many nearest tokens")
            Integer count) {
    }

    private final TextModel model;
    private final OnTensorFlow tensorflow;
    private final SerializedAnswers answers;

    EmbeddingsApi(TextModel model, OnTensorFlow tensorflow, SerializedAnswers answers) {
        this.model = model;
        this.tensorflow = tensorflow;
        this.answers = answers;
    }

    /** A pass over the whole vocabulary: within the caller's share, like every request that computes. */
    @GetMapping("/neighbours")
    @Operation(summary = "The tokens whose embeddings are nearest a token's, by cosine",
            description = "Give the token by id or by its exact text (a word mid-sentence has its leading space: "
                    + "\" whale\"). A text that is several tokens is answered for its first, and `pieces` lists them "
                    + "all. Each neighbour has cos θ = a·b / (‖a‖ ‖b‖), the dot product a·b and its length ‖b‖; "
                    + "the token's own length ‖a‖ is `norm`.")
    Mono<Neighbours> neighbours(@Parameter(description = "a token id, 0..vocabulary − 1 (give id or token)",
                                        schema = @Schema(type = "integer", minimum = "0")) @RequestParam(required = false) Integer id,
                                @Parameter(description = "a token's exact text, 1..100 characters (give id or token)",
                                        schema = @Schema(minLength = 1, maxLength = MAX_TOKEN_TEXT))
                                @RequestParam(required = false) String token,
                                @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "10"))
                                @RequestParam(defaultValue = "10") int count,
                                ServerWebExchange exchange) {
        BytePairEncoding tokenizer = model.tokenizer();
        int vocabulary = model.embeddings().size();
        if (id != null && token != null) {
            throw new InvalidFieldException("token", "give id or token, not both");
        }
        List<TextToken> pieces;
        if (token != null) {
            pieces = tokenizer.tokens(tokenizer.encode(checkTokenText("token", token)));
        } else if (id == null || id < 0 || id >= vocabulary) {
            throw new InvalidFieldException("id", "must be a token id 0.." + (vocabulary - 1) + " (or give token, its text)");
        } else {
            pieces = tokenizer.tokens(new int[] {id});
        }
        checkCount(count);
        int asked = pieces.get(0).id();
        return tensorflow.call(Callers.of(exchange), () -> new Neighbours(asked, tokenizer.tokenLabel(asked),
                model.embeddings().norm(asked), pieces, model.embeddings().nearest(asked, count)));
    }

    @PostMapping(value = "/arithmetic", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Vector arithmetic on the token embeddings: a − b + c and the tokens nearest it",
            description = "a, b and c are each the exact text of one token of the model (\" whale\" with its leading "
                    + "space is a token; a text that is several tokens is a 400 naming the field and its pieces). "
                    + "r = W_E[a] − W_E[b] + W_E[c]; the answer has ‖r‖, r's place (x, y) in the projection, and the "
                    + "tokens nearest r by cosine with their dot products r·e, best first, a, b and c left out.")
    Mono<EmbeddingSpace.Arithmetic> arithmetic(@RequestBody ArithmeticRequest request, ServerWebExchange exchange) {
        int a = oneToken("a", request.a());
        int b = oneToken("b", request.b());
        int c = oneToken("c", request.c());
        int count = request.count() == null ? 10 : request.count();
        checkCount(count);
        return tensorflow.call(Callers.of(exchange), () -> model.embeddings().arithmetic(a, b, c, count));
    }

    /** Every token's place in the 2-D picture ({@link EmbeddingSpace.Point}s, ~70 KB): serialized once. */
    @GetMapping("/projection")
    @Operation(summary = "Every token's place in a 2-D picture of the embedding space")
    @ApiResponse(responseCode = "200", description = "About 70 KB of JSON; 304 to a browser that has it (ETag).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = EmbeddingSpace.Point.class))))
    ResponseEntity<byte[]> projection(ServerWebExchange exchange) {
        return answers.json("text/projection", () -> model.embeddings().projection(), exchange);
    }

    /** The id of the one token whose text {@code text} is exactly, or a 400 naming {@code field} (and the pieces). */
    private int oneToken(String field, String text) {
        BytePairEncoding tokenizer = model.tokenizer();
        int[] ids = tokenizer.encode(checkTokenText(field, text));
        if (ids.length != 1) {
            String pieces = tokenizer.tokens(ids).stream().map(t -> "\"" + t.label() + "\"")
                    .collect(Collectors.joining(", "));
            throw new InvalidFieldException(field, "must be the text of one token; \"" + text + "\" is " + ids.length
                    + " tokens of the model: " + pieces);
        }
        return ids[0];
    }

    private static String checkTokenText(String field, String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TOKEN_TEXT) {
            throw new InvalidFieldException(field, "must be a token's text, 1.." + MAX_TOKEN_TEXT
                    + " characters, e.g. \" whale\" (with its leading space)");
        }
        return WellFormedText.check(field, text);
    }

    private static void checkCount(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidFieldException("count", "must be 1.." + MAX_COUNT);
        }
    }
}
