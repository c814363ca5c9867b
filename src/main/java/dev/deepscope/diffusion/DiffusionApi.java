package dev.deepscope.diffusion;

import dev.deepscope.web.Callers;
import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.RunCancelledException;
import dev.deepscope.clients.Caller;
import dev.deepscope.runs.OnTensorFlow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Chapter 4 over HTTP: batch sampling, CLIP similarities (with the embeddings they dot), the VAE's round trip of
 * an image, and the noise schedule the page draws.
 */
@RestController
@Tag(name = "diffusion", description = "Chapter 4, generation: sampling, CLIP, the VAE and the noise schedule")
class DiffusionApi {

    /** The images, and which words of the condition's text (the prompt, or the digit's caption) CLIP read. */
    record Samples(List<float[]> images, double seconds, Vocabulary.Reading prompt) {
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
     * {digit|prompt, guidance, steps, sampler, space, seed, count} → count images of 784 values in 0..1, and
     * the words CLIP read of the prompt (or of the digit's caption).
     * A client that disconnects stops the sampling at the next step.
     */
    @PostMapping(value = "/api/diffusion/sample", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sample count images (784 values in 0..1 each) at once, unrecorded")
    Mono<Samples> sample(@RequestBody SampleRequest request, ServerWebExchange exchange) {
        request.validate();
        Recipe recipe = request.recipe();
        return tensorflow.callWhileWanted(Callers.of(exchange), gone -> {
            Generation.Images result = generation.generate(recipe, null, () -> {
                if (gone.getAsBoolean()) {
                    throw new RunCancelledException("The client left.");
                }
            });
            return new Samples(result.images().stream().map(DiffuseRun::rounded).toList(), result.seconds(),
                    Vocabulary.read(recipe.condition()));
        });
    }

    /**
     * {images, texts} → cos(image_i, text_j) for every pair (CLIP's unit embeddings, dotted), per text the words
     * read, and the unit embeddings themselves (f_i per image, g_j per text, 64 numbers each), so a page can show
     * s_ij = Σ_k f_ik·g_jk.
     */
    @PostMapping(value = "/api/clip/similarity", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "CLIP's cosine similarity of every image with every text, and the unit embeddings it dots")
    Mono<ClipSimilarity.Matrix> similarity(@RequestBody ClipSimilarity request, ServerWebExchange exchange) {
        request.validate();
        return tensorflow.call(Callers.of(exchange), () -> {
            ClipModel clip = models.clip();
            float[][] images = clip.embedImages(request.pixels());
            ClipModel.TextEncoding[] texts = clip.encodeTexts(request.texts().toArray(String[]::new));
            float[][] similarity = new float[images.length][texts.length];
            for (int i = 0; i < images.length; i++) {
                for (int j = 0; j < texts.length; j++) {
                    similarity[i][j] = (float) VectorMath.dot(images[i], texts[j].embedding());
                }
            }
            float[][] textEmbeddings = new float[texts.length][];
            for (int j = 0; j < texts.length; j++) {
                textEmbeddings[j] = texts[j].embedding();
            }
            return new ClipSimilarity.Matrix(request.texts(),
                    request.texts().stream().map(Vocabulary::read).toList(), similarity, images, textEmbeddings);
        });
    }

    /**
     * {pixels: 784 in 0..1} → the VAE's round trip of that image: its latent z = μ(x)/σ_z as [4][7][7], the
     * decoded image D(μ(x)) and the mean squared error between the two.
     */
    @PostMapping(value = "/api/diffusion/vae", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Encode an image with the VAE and decode it again: the 4×7×7 latent, the decoded image, the error")
    Mono<VaeRoundTrip.Answer> vae(@RequestBody VaeRoundTrip request, ServerWebExchange exchange) {
        request.validate();
        return tensorflow.call(Callers.of(exchange), () -> request.run(models.vae(), models.latentStd()));
    }

    /**
     * Which words of a prompt CLIP reads, knows not, or drops past its context — for the page to say so as a
     * person types. A GET: it computes nothing with a model, so typing never meets the rate limits on work.
     */
    @GetMapping("/api/clip/read")
    @Operation(summary = "Which words of a prompt CLIP reads, knows not, or drops past its context")
    Vocabulary.Reading read(@Parameter(required = true, schema = @Schema(type = "string", maxLength = DiffusionParams.MAX_PROMPT))
                            @RequestParam(required = false) String text) {
        if (text == null) {
            throw new InvalidFieldException("text", "is required");
        }
        if (text.length() > DiffusionParams.MAX_PROMPT) {
            throw new InvalidFieldException("text", "must be at most " + DiffusionParams.MAX_PROMPT
                    + " characters, not " + text.length());
        }
        return Vocabulary.read(WellFormedText.check("text", text));
    }

    /** ᾱ_t for t = 0..T−1, for the forward-process slider. */
    @GetMapping("/api/diffusion/schedule")
    @Operation(summary = "The noise schedule's ᾱ_t for t = 0..T−1")
    Schedule schedule() {
        return new Schedule(NoiseSchedule.T, NoiseSchedule.LINEAR.alphaBars());
    }

}
