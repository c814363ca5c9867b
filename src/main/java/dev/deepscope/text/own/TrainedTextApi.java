package dev.deepscope.text.own;

import dev.deepscope.errors.GoneException;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.runs.OnTensorFlow;
import dev.deepscope.web.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writing with the model a {@code train-text} run trained. Anyone who has the run's id (its share link) may: the
 * model is what the run made, as public as its events, and writing changes nothing. Quick work: an ordinary slot.
 */
@RestController
@RequestMapping("/api/text/trained")
@Tag(name = "text", description = "Chapter 3, text: a small GPT writes")
class TrainedTextApi {

    /** The prompt's tokens, the tokens written (as text each) and the whole text. */
    record Written(List<String> prompt, List<String> tokens, String text) {
    }

    private final TrainedTexts trained;
    private final OnTensorFlow tensorflow;

    TrainedTextApi(TrainedTexts trained, OnTensorFlow tensorflow) {
        this.trained = trained;
        this.tensorflow = tensorflow;
    }

    @PostMapping(value = "/{runId}/generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Text written by the model a train-text run trained")
    @ApiResponse(responseCode = "200", description = "The prompt's tokens and the tokens written.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No model of this run is here: no such train-text run, or it still trains (`field` runId).")
    @ApiResponse(responseCode = "410", description = "The run's model was dropped from memory (`field` runId): train again.")
    Mono<Written> generate(@PathVariable String runId, @RequestBody GenerateRequest request, ServerWebExchange exchange) {
        request.validate();
        TrainedTexts.Trained model = find(runId);
        return tensorflow.call(Callers.of(exchange), () -> model.use(m -> write(m, request))
                .orElseThrow(() -> gone(runId)));
    }

    private TrainedTexts.Trained find(String runId) {
        return trained.find(runId).orElseThrow(() -> trained.gone(runId).<RuntimeException>map(g -> gone(runId))
                .orElseGet(() -> new NotFoundException("runId", "No model trained by run " + runId + " is here: it is"
                        + " not a train-text run, or it is still training (its model is kept once it ends or is stopped).")));
    }

    private GoneException gone(String runId) {
        TrainedTexts.Gone g = trained.gone(runId).orElse(new TrainedTexts.Gone(java.time.Instant.now(), "it was dropped"));
        return new GoneException("runId", "The model run " + runId + " trained is no longer kept in memory ("
                + g.reason() + "): train again to write with it.", Map.of("droppedAt", g.at().toString()));
    }

    private static Written write(TrainedTexts.Trained trained, GenerateRequest request) {
        OwnTokenizer tokenizer = trained.tokenizer();
        int[] prompt;
        try {
            prompt = request.prompt().isEmpty() ? trained.start() : tokenizer.encode(request.prompt());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("prompt", "cannot be read by this model's character tokenizer: " + e.getMessage());
        }
        int[] written = Writer.write(trained.model(), prompt, request.maxTokens(), request.temperature(),
                new Random(request.seed()));
        return new Written(labels(tokenizer, prompt), labels(tokenizer, written),
                tokenizer.show(prompt) + tokenizer.show(written));
    }

    private static List<String> labels(OwnTokenizer tokenizer, int[] ids) {
        return Arrays.stream(ids).mapToObj(tokenizer::label).toList();
    }
}
