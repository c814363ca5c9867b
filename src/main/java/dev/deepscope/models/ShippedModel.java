package dev.deepscope.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A model shipped on the class path under {@code models/<name>/}, extracted to a temporary folder (TensorFlow
 * reads files, not class-path resources) after which every file was checked against the SHA-256 its manifest
 * records. The one "extract, verify, load" path: {@link #load} hands the folder to the chapter's restore and
 * deletes it once the weights are in memory, so no start (nor a killed JVM, which skips delete-on-exit) leaves
 * a copy of every model in the temporary folder.
 *
 * @param name     the model's name, e.g. {@code cnn}, {@code gpt}
 * @param dir      the temporary folder holding the checkpoint (and any extra files), there while {@link #load}'s
 *                 restore runs
 * @param manifest its {@code manifest.json}
 */
public record ShippedModel(String name, Path dir, JsonNode manifest) {

    /**
     * Extracts and verifies {@code models/<name>/} (the checkpoint and {@code extraFiles}, e.g. a tokenizer),
     * returns what {@code restore} makes of it, and deletes the extracted folder.
     *
     * @param restore reads everything it needs from {@link #dir()} before it returns (TensorFlow's restore does)
     * @throws IllegalStateException if a file or the manifest is missing, or a file does not match its sha256
     */
    public static <T> T load(String name, Function<ShippedModel, T> restore, String... extraFiles) {
        ShippedModel shipped = extract(name, extraFiles);
        try {
            return restore.apply(shipped);
        } finally {
            delete(shipped.dir());
        }
    }

    private static ShippedModel extract(String name, String... extraFiles) {
        String resourceDir = "models/" + name;
        JsonNode manifest = ModelManifest.read(resourceDir);
        Path dir = copy(resourceDir, extraFiles);
        ModelManifest.sha256(dir, extraFiles).forEach((file, sum) -> {
            if (!sum.equals(manifest.path("sha256").path(file).asString())) {
                throw new IllegalStateException(name + ": " + file + " does not match its manifest");
            }
        });
        return new ShippedModel(name, dir, manifest);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String resourceDir, String... extraFiles) {
        try {
            Path dir = Files.createTempDirectory("deepscope-" + resourceDir.replace('/', '-'));
            for (String file : ModelManifest.files(extraFiles)) {
                try (InputStream in = ShippedModel.class.getClassLoader().getResourceAsStream(resourceDir + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("missing " + resourceDir + "/" + file + " (train the model, see README)");
                    }
                    Path target = dir.resolve(file);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
