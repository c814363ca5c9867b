package dev.deepscope.models;

import dev.deepscope.engine.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code manifest.json} beside a shipped checkpoint: data, split, steps, seed, metrics and, under
 * {@code sha256}, each file's SHA-256 in lower-case hex. The one place manifests are written, read and their
 * sums computed; the training programs write them, {@link ShippedModel} checks them.
 */
public final class ModelManifest {

    public static final String FILE = "manifest.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ModelManifest() {
    }

    /** Writes {@code dir/manifest.json}, pretty-printed, its entries in {@code manifest}'s order. */
    public static void write(Path dir, Map<String, Object> manifest) {
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), manifest);
    }

    /** The manifest in a folder a training program wrote (not the class path). */
    public static JsonNode read(Path dir) {
        return JSON.readTree(dir.resolve(FILE).toFile());
    }

    /** Sets one top-level entry of {@code dir}'s manifest (e.g. an evaluation measured after training), keeping the rest. */
    public static void put(Path dir, String key, Object value) {
        ObjectNode manifest = (ObjectNode) read(dir);
        manifest.set(key, JSON.valueToTree(value));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), manifest);
    }

    /**
     * The manifest shipped on the class path under {@code resourceDir} (e.g. {@code models/cnn}).
     *
     * @throws IllegalStateException if there is none (the model was never trained)
     */
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

    /** The files a shipped model consists of: the checkpoint's, then {@code extraFiles} (e.g. a tokenizer). */
    static List<String> files(String... extraFiles) {
        List<String> files = new ArrayList<>(Checkpoint.FILES);
        files.addAll(List.of(extraFiles));
        return files;
    }

    /** File name → SHA-256 (hex) of the checkpoint in {@code dir} and {@code extraFiles}, as the manifest records them. */
    public static Map<String, String> sha256(Path dir, String... extraFiles) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String file : files(extraFiles)) {
            sums.put(file, sha256(dir.resolve(file)));
        }
        return sums;
    }

    private static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of some bytes (e.g. a shipped resource read from the class path), in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);   // every Java platform has SHA-256
        }
    }
}
