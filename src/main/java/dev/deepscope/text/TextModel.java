package dev.deepscope.text;

import dev.deepscope.digits.ModelManifest;
import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The shipped small GPT: its tokenizer, its checkpoint (each file checked against the sha256 in its
 * manifest), the decoding loop every generation shares, and its embedding space.
 */
@Component
public class TextModel {

    private final JsonNode manifest;
    private final BytePairEncoding tokenizer;
    private final GptModel model;
    private final DecodingLoop decoding;
    private final EmbeddingSpace embeddings;

    public TextModel() {
        manifest = ModelManifest.read(TextModelFiles.RESOURCE_DIR);
        Path dir = Checkpoint.extract(TextModelFiles.RESOURCE_DIR);
        Path tokenizerFile = dir.resolve(TextModelFiles.TOKENIZER);
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream(TextModelFiles.RESOURCE_DIR + "/" + TextModelFiles.TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException("no tokenizer in " + TextModelFiles.RESOURCE_DIR + " (train the model, see README)");
            }
            Files.copy(in, tokenizerFile);
            tokenizerFile.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> sums = new LinkedHashMap<>(Checkpoint.sha256(dir));
        sums.put(TextModelFiles.TOKENIZER, TrainTextModel.sha256(tokenizerFile));
        sums.forEach((file, sum) -> {
            if (!sum.equals(manifest.path("sha256").path(file).asString())) {
                throw new IllegalStateException("gpt: " + file + " does not match its manifest");
            }
        });
        try (InputStream in = Files.newInputStream(tokenizerFile)) {
            tokenizer = BytePairEncoding.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode c = manifest.path("config");
        GptConfig config = new GptConfig(c.path("vocabulary").asInt(), c.path("context").asInt(), c.path("width").asInt(),
                c.path("layers").asInt(), c.path("heads").asInt());
        model = GptModel.restore(config, dir);
        decoding = new DecodingLoop(model);
        embeddings = new EmbeddingSpace(model.tokenEmbedding(), tokenizer);
    }

    public JsonNode manifest() {
        return manifest;
    }

    public BytePairEncoding tokenizer() {
        return tokenizer;
    }

    public GptModel model() {
        return model;
    }

    public GptConfig config() {
        return model.config();
    }

    public DecodingLoop decoding() {
        return decoding;
    }

    public EmbeddingSpace embeddings() {
        return embeddings;
    }

    /** Blocking native work: call on a TensorFlow thread. */
    public Surprisal.Scored score(String text) {
        return Surprisal.score(model, tokenizer, text);
    }

    @PreDestroy
    public void close() {
        decoding.close();
        model.close();
    }
}
