package dev.deepscope.text;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.runs.OnTensorFlow;
import dev.deepscope.web.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Chapter 3's MLP blocks over HTTP: one neuron, what fires it in the training text and what it writes. */
@RestController
@RequestMapping("/api/text")
@Tag(name = "text", description = "Chapter 3, architecture: the small GPT's tokenizer, surprisal and embeddings")
class TextNeuronsApi {

    private final TextNeurons neurons;
    private final OnTensorFlow tensorflow;

    TextNeuronsApi(TextNeurons neurons, OnTensorFlow tensorflow) {
        this.neurons = neurons;
        this.tensorflow = tensorflow;
    }

    /** Ranking 1,024 pushes and decoding ten excerpts is small work, but work: off the event loop, within the caller's share. */
    @GetMapping("/neurons/{block}/{index}")
    @Operation(summary = "One MLP neuron: the training text's tokens that fire it most, and the tokens it pushes up and down",
            description = "Neuron i of block b's MLP, MLP(x) = W↓ GELU(W↑x + b↑) + b↓, reads a_i = GELU(w↑_i·x + b↑_i) "
                    + "and adds a_i·w↓_i to the residual stream. `contexts`: the tokens of chapters 1–120 of Moby-Dick "
                    + "(the text the model was trained on) with the largest a_i, each with the text around it and the "
                    + "window the model read it in, computed once by IndexNeuronContexts and shipped. `up`/`down`: the "
                    + "tokens whose logits w↓_i raises and lowers most per unit of a_i, "
                    + "push = W_Uᵀ(γ ⊙ (w↓_i − mean(w↓_i))) (the final LayerNorm's centring and gain, not its 1/σ).")
    @ApiResponse(responseCode = "200", description = "The neuron's terms, top contexts and pushes.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "No such block or neuron: problem+json naming `block` or `index`.")
    Mono<NeuronReport.Neuron> neuron(
            @Parameter(schema = @Schema(type = "integer", minimum = "0", description = "the block, 0..layers − 1 (0..3)"))
            @PathVariable int block,
            @Parameter(schema = @Schema(type = "integer", minimum = "0", description = "the neuron, 0..4C − 1 (0..511)"))
            @PathVariable int index,
            ServerWebExchange exchange) {
        if (block < 0 || block >= neurons.layers()) {
            throw new InvalidFieldException("block", "must be 0.." + (neurons.layers() - 1) + ", was " + block);
        }
        if (index < 0 || index >= neurons.neurons()) {
            throw new InvalidFieldException("index", "must be 0.." + (neurons.neurons() - 1) + ", was " + index);
        }
        return tensorflow.call(Callers.of(exchange), () -> neurons.report(block, index));
    }
}
