package dev.deepscope.learning;

import dev.deepscope.web.Callers;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.clients.Caller;
import dev.deepscope.runs.OnTensorFlow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Chapter 2 over HTTP: the cost landscape around a trained network and backpropagation for one digit.
 * Both are quick, so they take an ordinary (classification) slot, computed on a TensorFlow thread.
 */
@RestController
@RequestMapping("/api/learning")
@Tag(name = "learning", description = "Chapter 2, learning: a network a train run trained, looked into")
class LearningApi {

    private final TrainedNetworks trained;
    private final OnTensorFlow tensorflow;

    LearningApi(TrainedNetworks trained, OnTensorFlow tensorflow) {
        this.trained = trained;
        this.tensorflow = tensorflow;
    }

    @PostMapping(value = "/landscape", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The cost on a grid around a trained network's weights, along two random directions")
    @ApiResponse(responseCode = "200", description = "The grid of costs.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No network trained by this run is held here (`field` model).")
    Mono<CostLandscape.Landscape> landscape(@RequestBody LandscapeRequest request, ServerWebExchange exchange) {
        request.validate();
        TrainedNetworks.Trained network = network(request.model());
        return tensorflow.call(Callers.of(exchange), () -> CostLandscape.compute(network, request.resolution(), request.seed(), network.data()));
    }

    @PostMapping(value = "/backprop", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Backpropagation for one digit, followed to one weight")
    @ApiResponse(responseCode = "200", description = "Every layer's values and gradients.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No network trained by this run is held here (`field` model).")
    Mono<BackpropInspector.Inspection> backprop(@RequestBody BackpropRequest request, ServerWebExchange exchange) {
        request.validate();
        TrainedNetworks.Trained network = network(request.model());
        request.validateFor(network.shape());
        return tensorflow.call(Callers.of(exchange), () -> BackpropInspector.inspect(network, request));
    }

    @PostMapping(value = "/classify", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One drawing through a trained network: its outputs and the class it picks")
    @ApiResponse(responseCode = "200", description = "The output activations.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No network trained by this run is held here (`field` model).")
    Mono<ClassifyRequest.Classified> classify(@RequestBody ClassifyRequest request, ServerWebExchange exchange) {
        request.validate();
        TrainedNetworks.Trained network = network(request.model());
        return tensorflow.call(Callers.of(exchange), () -> request.through(network));
    }

    private TrainedNetworks.Trained network(String model) {
        return trained.find(model).orElseThrow(() -> new NotFoundException("model",
                "No network trained by run " + model + " is held here (the most recent "
                        + TrainedNetworks.KEPT + " are kept): start a train run first."));
    }

}
