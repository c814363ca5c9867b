package dev.deepscope.digits;

import dev.deepscope.web.Callers;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.mnist.HeldOutDigits;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.clients.Caller;
import dev.deepscope.runs.OnTensorFlow;
import dev.deepscope.web.SerializedAnswers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Chapter 1 over HTTP: classify a digit, look at a neuron's weights, fetch a real held-out digit. */
@RestController
@RequestMapping("/api/digits")
@Tag(name = "digits", description = "Chapter 1, structure: the 784-16-16-10 networks and a CNN")
class DigitsApi {

    record Sample(int index, int label, float[] pixels) {
    }

    private final DigitModels models;
    private final HeldOutDigits heldOut;
    private final OnTensorFlow tensorflow;
    private final SerializedAnswers answers;

    DigitsApi(DigitModels models, HeldOutDigits heldOut, OnTensorFlow tensorflow, SerializedAnswers answers) {
        this.models = models;
        this.answers = answers;
        this.heldOut = heldOut;
        this.tensorflow = tensorflow;
    }

    /** Validated on the event loop (cheap), computed on a TensorFlow thread; a client that leaves cancels it. */
    @PostMapping(value = "/classify", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Classify a digit (unrecorded; what the pad sends while a stroke is drawn)",
            description = "Every layer's activations a (with \"preActivations\": true its pre-activations z "
                    + "too), and the ten probabilities. With "
                    + "\"ablate\": [{\"layer\", \"neuron\", \"value\"?}], those hidden units (a CNN channel: "
                    + "its whole feature map) are set to value (default 0, switched off) and every later layer "
                    + "is computed by the model with them so. Rate-limited apart from runs, with buckets "
                    + "deepscope.rate-limit.live-factor times larger.")
    @ApiResponse(responseCode = "200", description = "The forward pass, layer by layer.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "A bad field, named: model, pixels[i], ablate[i].layer, "
            + "ablate[i].neuron, ablate[i].value.")
    Mono<Classification> classify(@RequestBody DigitInput input, ServerWebExchange exchange) {
        models.validate(input);
        return tensorflow.call(Callers.of(exchange), () -> models.classify(input));
    }

    /**
     * Each parameterised layer's weights into each neuron, and its biases ({@link DigitNetwork.LayerWeights} as
     * JSON, 0.1–3 MB): serialized once per model, then sent as stored, or 304 to a browser that has it.
     */
    @GetMapping("/models/{name}/weights")
    @Operation(summary = "A model's weights into each neuron and its biases, per layer")
    @ApiResponse(responseCode = "200", description = "0.1–3 MB of JSON; 304 to a browser that has it (ETag).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = DigitNetwork.LayerWeights.class))))
    @ApiResponse(responseCode = "404", description = "No digit model has this name.")
    ResponseEntity<byte[]> weights(@Parameter(schema = @Schema(type = "string", allowableValues = {"mlp-sigmoid", "mlp-relu", "cnn"}))
                                   @PathVariable String name, ServerWebExchange exchange) {
        if (DigitArchitecture.named(name).isEmpty()) {
            throw new NotFoundException("name", "No digit model is called " + name + ".");
        }
        return answers.json("digits/weights/" + name, () -> models.get(name).weights(), exchange);
    }

    @GetMapping("/samples/{index}")
    @Operation(summary = "A digit of the official MNIST test set, with its label")
    @ApiResponse(responseCode = "200", description = "The digit's 784 intensities in 0..1.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No test digit has this index (0..9999).")
    Sample sample(@Parameter(schema = @Schema(type = "integer", minimum = "0", maximum = "9999")) @PathVariable int index) {
        if (index < 0 || index >= heldOut.count()) {
            throw new NotFoundException("index", "Official MNIST test digits are numbered 0.." + (heldOut.count() - 1) + ".");
        }
        LabelledDigit digit = heldOut.get(index);
        return new Sample(index, digit.label(), digit.pixels());
    }
}
