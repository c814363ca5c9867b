package dev.deepscope.digits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code manifest.json} beside a checkpoint: data, split, steps, seed, metrics and the files' sha256. */
public final class ModelManifest {

    public static final String FILE = "manifest.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ModelManifest() {
    }

    public static void write(Path dir, Map<String, Object> manifest) {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), manifest);
    }

    /** The manifest shipped on the class path under {@code resourceDir}. */
    public static JsonNode read(String resourceDir) {
        try (InputStream in = ModelManifest.class.getClassLoader().getResourceAsStream(resourceDir + "/" + FILE)) {
            if (in == null) {
                throw new IllegalStateException("no " + FILE + " in " + resourceDir + " (train the model, see README)");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
