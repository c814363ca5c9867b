package dev.deepscope.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
