package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.web.OnTensorFlow;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Chapter 4 over HTTP: batch sampling, CLIP similarities, and the noise schedule the page draws. */
@RestController
class DiffusionApi {

    record Samples(List<float[]> images, double seconds) {
    }

    record Schedule(int steps, double[] alphaBar) {
    }

    private final Generation generation;
    private final GenerationModels models;
    private final OnTensorFlow tensorflow;

    DiffusionApi(Generation generation, GenerationModels models, OnTensorFlow tensorflow) {
        this.generation = generation;
        this.models = models;
        this.tensorflow = tensorflow;
    }

    /**
     * {digit|prompt, guidance, steps, sampler, space, seed, count} → count images of 784 values in 0..1.
     * A client that disconnects stops the sampling at the next step.
     */
    @PostMapping(value = "/api/diffusion/sample", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Samples> sample(@RequestBody DiffusionParams params) {
        params.validate();
        return tensorflow.callWhileWanted(gone -> {
            Generation.Images result = generation.generate(params, null, gone);
            return new Samples(result.images().stream().map(DiffuseRun::rounded).toList(), result.seconds());
        });
    }

    /** {images, texts} → cos(image_i, text_j) for every pair: CLIP's unit embeddings, dotted. */
    @PostMapping(value = "/api/clip/similarity", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ClipSimilarity.Matrix> similarity(@RequestBody ClipSimilarity request) {
        request.validate();
        return tensorflow.call(() -> {
            ClipModel clip = models.clip();
            float[][] images = clip.embedImages(request.pixels());
            ClipModel.TextEncoding[] texts = clip.encodeTexts(request.texts().toArray(String[]::new));
            float[][] similarity = new float[images.length][texts.length];
            for (int i = 0; i < images.length; i++) {
                for (int j = 0; j < texts.length; j++) {
                    similarity[i][j] = (float) ClipTrainer.dot(images[i], texts[j].embedding());
                }
            }
            return new ClipSimilarity.Matrix(request.texts(), similarity);
        });
    }

    /** ᾱ_t for t = 0..T−1, for the forward-process slider. */
    @GetMapping("/api/diffusion/schedule")
    Schedule schedule() {
        return new Schedule(NoiseSchedule.T, NoiseSchedule.LINEAR.alphaBars());
    }

}
