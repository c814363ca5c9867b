package dev.deepscope.text;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptInside;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.OnTensorFlow;
import dev.deepscope.web.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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

/**
 * Chapter 3 opened up over HTTP: one attention head at one position and the residual stream there, and the
 * next token with heads or MLPs knocked out. Every number is read from the served model's own forward pass.
 */
@RestController
@RequestMapping("/api/text")
@Tag(name = "text", description = "Chapter 3, architecture: the small GPT's tokenizer, surprisal and embeddings")
class TextInsideApi {

    /** Characters of a text to look inside; it must also fit the model's context in tokens. */
    static final int MAX_TEXT = 2000;
    static final double MAX_TEMPERATURE = 5;

    record InsideRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TEXT,
                    description = "1..2000 characters that make at most the model's context (128) in tokens") String text,
            @Schema(description = "the query token's index, 0..tokens − 1; the last token when missing", minimum = "0")
            Integer position,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0",
                    description = "the block, 0..layers − 1 (0..3 for the shipped model)") Integer layer,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0",
                    description = "the head, 0..heads − 1 (0..3 for the shipped model)") Integer head) {
    }

    record PartRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0",
                    description = "the block, 0..layers − 1") Integer block,
            @Schema(minimum = "0", description = "a head of the block, 0..heads − 1, whose output is zeroed before "
                    + "the output projection; missing: the block's MLP is knocked out") Integer head) {
    }

    record NextRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = MAX_TEXT,
                    description = "1..2000 characters that make at most the model's context (128) in tokens") String text,
            @ArraySchema(maxItems = 40, schema = @Schema(implementation = PartRequest.class),
                    arraySchema = @Schema(description = "the parts to switch off; none gives after = before"))
            List<PartRequest> ablate,
            @Schema(minimum = "0", exclusiveMinimum = true, maximum = "5", defaultValue = "1",
                    description = "p = softmax(logits / T)") Double temperature) {
    }

    private final TextModel model;
    private final OnTensorFlow tensorflow;

    TextInsideApi(TextModel model, OnTensorFlow tensorflow) {
        this.model = model;
        this.tensorflow = tensorflow;
    }

    @PostMapping(value = "/inside", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Inside one attention head at one position, and the residual stream there",
            description = "The head's query, the keys and values of tokens 0..position, the scores q·k/√d_k, the "
                    + "softmax weights and the weighted sum of values; per block the norms of attention's and the MLP's "
                    + "writes, their cosines with the stream each is added to, the stream's norm and the logit lens. "
                    + "All read from the model's forward pass.")
    Mono<InsideReport.Inside> inside(@RequestBody InsideRequest request, ServerWebExchange exchange) {
        GptConfig config = model.config();
        String text = checkText(request.text());
        int layer = within("layer", request.layer(), config.layers());
        int head = within("head", request.head(), config.heads());
        return tensorflow.call(Callers.of(exchange), () -> {
            int[] ids = encode(text);
            int position = request.position() == null ? ids.length - 1 : request.position();
            if (position < 0 || position >= ids.length) {
                throw new InvalidFieldException("position",
                        "must be a token of the text, 0.." + (ids.length - 1) + ", was " + position);
            }
            GptInside.View view = GptInside.look(model.model(), ids, position, layer, head);
            return InsideReport.of(model.tokenizer().tokens(ids), position, layer, head, view, model.tokenizer());
        });
    }

    @PostMapping(value = "/next", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The next token with heads or MLP blocks knocked out, beside the intact model's",
            description = "A knocked-out head's output is zeroed before the block's output projection W_O; a block "
                    + "named without a head has its MLP's write zeroed. Both distributions are the model's own (one pass each).")
    Mono<NextTokens.Answer> next(@RequestBody NextRequest request, ServerWebExchange exchange) {
        GptConfig config = model.config();
        String text = checkText(request.text());
        double temperature = request.temperature() == null ? 1 : request.temperature();
        if (!(temperature > 0 && temperature <= MAX_TEMPERATURE)) {
            throw new InvalidFieldException("temperature", "must be in (0, " + MAX_TEMPERATURE + "], was " + temperature);
        }
        List<PartRequest> asked = request.ablate() == null ? List.of() : request.ablate();
        int most = config.layers() * (config.heads() + 1);
        if (asked.size() > most) {
            throw new InvalidFieldException("ablate", "names at most " + most + " parts, was " + asked.size());
        }
        List<NextTokens.Part> parts = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            PartRequest p = asked.get(i);
            String field = "ablate[" + i + "]";
            if (p == null) {
                throw new InvalidFieldException(field, "must be {\"block\", \"head\"?}");
            }
            int block = within(field + ".block", p.block(), config.layers());
            Integer head = p.head() == null ? null : within(field + ".head", p.head(), config.heads());
            parts.add(new NextTokens.Part(block, head));
        }
        return tensorflow.call(Callers.of(exchange), () -> {
            int[] ids = encode(text);
            float[][] logits = GptInside.nextLogits(model.model(), ids,
                    parts.stream().map(NextTokens.Part::knockout).toList());
            return NextTokens.of(model.tokenizer().tokens(ids), temperature, parts, logits, model.tokenizer());
        });
    }

    /** The text's tokens; more than the context holds is a bad text (the answer is about every token of it). */
    private int[] encode(String text) {
        int[] ids = model.tokenizer().encode(text);
        int context = model.config().context();
        if (ids.length == 0 || ids.length > context) {
            throw new InvalidFieldException("text", "must make 1.." + context + " tokens, made " + ids.length);
        }
        return ids;
    }

    private static String checkText(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidFieldException("text", "must be 1.." + MAX_TEXT + " characters, not empty");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidFieldException("text", "must be at most " + MAX_TEXT + " characters, was " + text.length());
        }
        return WellFormedText.check("text", text);
    }

    private static int within(String field, Integer value, int count) {
        if (value == null || value < 0 || value >= count) {
            throw new InvalidFieldException(field, "must be 0.." + (count - 1) + (value == null ? "" : ", was " + value));
        }
        return value;
    }
}
