package dev.deepscope.text;

import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptModel;
import dev.deepscope.models.ModelCard;
import dev.deepscope.models.ShippedModel;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The shipped small GPT: its tokenizer, its checkpoint (each file checked against the sha256 in its
 * manifest), the decoding loop every generation shares, and its embedding space.
 */
@Component
@Order(3)
public class TextModel implements ModelCard.Source {

    private final JsonNode manifest;
    private final BytePairEncoding tokenizer;
    private final GptModel model;
    private final DecodingLoop decoding;
    private final EmbeddingSpace embeddings;

    public TextModel() {
        Loaded loaded = ShippedModel.load(TextModelFiles.NAME, TextModel::restore, TextModelFiles.TOKENIZER);
        manifest = loaded.manifest();
        tokenizer = loaded.tokenizer();
        model = loaded.model();
        decoding = new DecodingLoop(model);
        embeddings = new EmbeddingSpace(model.tokenEmbedding(), tokenizer);
    }

    private record Loaded(JsonNode manifest, BytePairEncoding tokenizer, GptModel model) {
    }

    private static Loaded restore(ShippedModel shipped) {
        BytePairEncoding tokenizer;
        try (InputStream in = Files.newInputStream(shipped.dir().resolve(TextModelFiles.TOKENIZER))) {
            tokenizer = BytePairEncoding.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode c = shipped.manifest().path("config");
        GptConfig config = new GptConfig(c.path("vocabulary").asInt(), c.path("context").asInt(), c.path("width").asInt(),
                c.path("layers").asInt(), c.path("heads").asInt());
        return new Loaded(shipped.manifest(), tokenizer, GptModel.restore(config, shipped.dir()));
    }

    public JsonNode manifest() {
        return manifest;
    }

    @Override
    public List<ModelCard> modelCards() {
        return List.of(new ModelCard(TextModelFiles.NAME, "architecture", model.parameterCount(),
                manifest.path("metrics")));
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
