package dev.deepscope.diffusion;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Images (784 intensities in 0..1 each) against texts: CLIP's cosine-similarity matrix, images × texts. */
record ClipSimilarity(
        @ArraySchema(minItems = 1, maxItems = ClipSimilarity.MAX_IMAGES, arraySchema = @Schema(requiredMode = REQUIRED,
                description = "images of exactly 784 intensities in 0..1 each"))
        List<List<Double>> images,
        @ArraySchema(minItems = 1, maxItems = ClipSimilarity.MAX_TEXTS, arraySchema = @Schema(requiredMode = REQUIRED),
                schema = @Schema(maxLength = DiffusionParams.MAX_PROMPT))
        List<String> texts) {

    static final int MAX_IMAGES = 32;
    static final int MAX_TEXTS = 16;

    /**
     * similarity[image][text]; prompts[text] says which of that text's words CLIP read; imageEmbeddings[image]
     * and textEmbeddings[text] are CLIP's unit embeddings f and g ({@value ClipModel#WIDTH} numbers each), so
     * similarity[i][j] = Σ_k f_ik·g_jk.
     */
    record Matrix(List<String> texts, List<Vocabulary.Reading> prompts, float[][] similarity,
                  float[][] imageEmbeddings, float[][] textEmbeddings) {
    }

    void validate() {
        if (images == null || images.isEmpty() || images.size() > MAX_IMAGES) {
            throw new InvalidFieldException("images", "must hold 1.." + MAX_IMAGES + " images of 784 numbers");
        }
        for (int i = 0; i < images.size(); i++) {
            List<Double> image = images.get(i);
            if (image == null || image.size() != 784) {
                throw new InvalidFieldException("images[" + i + "]", "must hold exactly 784 numbers (28×28)");
            }
            for (int j = 0; j < image.size(); j++) {
                Double p = image.get(j);
                if (p == null || p.isNaN() || p < 0 || p > 1) {
                    throw new InvalidFieldException("images[" + i + "][" + j + "]", "must be a number in 0..1");
                }
            }
        }
        if (texts == null || texts.isEmpty() || texts.size() > MAX_TEXTS) {
            throw new InvalidFieldException("texts", "must hold 1.." + MAX_TEXTS + " texts");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).length() > DiffusionParams.MAX_PROMPT) {
                throw new InvalidFieldException("texts[" + i + "]",
                        "must be a text of at most " + DiffusionParams.MAX_PROMPT + " characters");
            }
            WellFormedText.check("texts[" + i + "]", texts.get(i));
        }
    }

    float[][] pixels() {
        float[][] out = new float[images.size()][784];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < 784; j++) {
                out[i][j] = images.get(i).get(j).floatValue();
            }
        }
        return out;
    }
}
