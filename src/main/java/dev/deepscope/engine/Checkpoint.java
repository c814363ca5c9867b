package dev.deepscope.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;

/**
 * A TensorFlow checkpoint on disk: {@code <dir>/checkpoint.index} and {@code checkpoint.data-00000-of-00001}.
 * The Java code that built the graph is the source of truth; a checkpoint only holds variable values.
 */
public final class Checkpoint {

    public static final String PREFIX = "checkpoint";
    public static final List<String> FILES = List.of(PREFIX + ".index", PREFIX + ".data-00000-of-00001");

    private Checkpoint() {
    }

    public static void save(Session session, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        session.save(dir.resolve(PREFIX).toString());
    }

    public static void restore(Session session, Path dir) {
        session.restore(dir.resolve(PREFIX).toString());
    }

    /**
     * Copies a checkpoint shipped on the classpath (e.g. {@code models/cnn}) to a temporary folder,
     * because TensorFlow reads files, not class-path resources.
     */
    public static Path extract(String resourceDir) {
        try {
            Path dir = Files.createTempDirectory("deepscope-" + resourceDir.replace('/', '-'));
            dir.toFile().deleteOnExit();
            for (String file : FILES) {
                try (InputStream in = Checkpoint.class.getClassLoader().getResourceAsStream(resourceDir + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("missing checkpoint file " + resourceDir + "/" + file
                                + " (train the model, see README)");
                    }
                    Path target = dir.resolve(file);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sha256 of each checkpoint file, as recorded in a model manifest. */
    public static Map<String, String> sha256(Path dir) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String file : FILES) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                sums.put(file, HexFormat.of().formatHex(digest.digest(Files.readAllBytes(dir.resolve(file)))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return sums;
    }
}
