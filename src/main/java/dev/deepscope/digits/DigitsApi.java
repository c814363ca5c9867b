package dev.deepscope.digits;

import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.mnist.HeldOutDigits;
import dev.deepscope.mnist.LabelledDigit;
import dev.deepscope.web.Caller;
import dev.deepscope.web.OnTensorFlow;
import dev.deepscope.web.SerializedAnswers;
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
    Mono<Classification> classify(@RequestBody DigitInput input, ServerWebExchange exchange) {
        input.validate();
        return tensorflow.call(Caller.of(exchange), () -> models.classify(input));
    }

    /**
     * Each parameterised layer's weights into each neuron, and its biases ({@link DigitNetwork.LayerWeights} as
     * JSON, 0.1–3 MB): serialized once per model, then sent as stored, or 304 to a browser that has it.
     */
    @GetMapping("/models/{name}/weights")
    ResponseEntity<byte[]> weights(@PathVariable String name, ServerWebExchange exchange) {
        if (DigitArchitecture.named(name).isEmpty()) {
            throw new NotFoundException("name", "No digit model is called " + name + ".");
        }
        return answers.json("digits/weights/" + name, () -> models.get(name).weights(), exchange);
    }

    @GetMapping("/samples/{index}")
    Sample sample(@PathVariable int index) {
        if (index < 0 || index >= heldOut.count()) {
            throw new NotFoundException("index", "Official MNIST test digits are numbered 0.." + (heldOut.count() - 1) + ".");
        }
        LabelledDigit digit = heldOut.get(index);
        return new Sample(index, digit.label(), digit.pixels());
    }
}
