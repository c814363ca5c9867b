package dev.deepscope.learning;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitArchitecture.Activation;
import dev.deepscope.engine.learning.MlpShape;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.runs.Seeded;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person asks to train: the hidden layers, their activation, the learning rate η, the mini-batch
 * size m (m = every training digit is plain gradient descent), the number of steps and the seed; and, if
 * they drew their own, the {@code dataset} to train on instead of the MNIST digits (then one output per class).
 * Boxed on purpose: a missing value is an error or a stated default, never a silent zero.
 */
@Schema(description = "A train run's params: all required but dataset.")
public record TrainParams(
        @ArraySchema(minItems = 1, maxItems = TrainParams.MAX_LAYERS,
                arraySchema = @Schema(requiredMode = REQUIRED, description = "hidden layer widths", example = "[16, 16]"),
                schema = @Schema(minimum = "1", maximum = "" + TrainParams.MAX_WIDTH))
        List<Integer> hidden,
        @Schema(requiredMode = REQUIRED, allowableValues = {"sigmoid", "relu"}) String activation,
        @Schema(requiredMode = REQUIRED, description = "η, in (0, 10]; the page uses 3 for sigmoid, 0.4 for relu",
                minimum = "0", exclusiveMinimum = true, maximum = "" + TrainParams.MAX_LEARNING_RATE)
        Double learningRate,
        @Schema(requiredMode = REQUIRED, description = "m: 1..all training digits (all of them is plain gradient "
                + "descent, fewer is SGD)", minimum = "1")
        Integer batchSize,
        @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "" + TrainParams.MAX_STEPS) Integer steps,
        @Schema(requiredMode = REQUIRED, description = "the same params and seed give the same curve") Long seed,
        @Schema(description = "your own drawings to train on; absent = the MNIST digits")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        OwnDrawings dataset)
        implements Seeded {

    /** Training on the MNIST digits. */
    public TrainParams(List<Integer> hidden, String activation, Double learningRate, Integer batchSize, Integer steps,
                       Long seed) {
        this(hidden, activation, learningRate, batchSize, steps, seed, null);
    }

    public static final int MAX_LAYERS = 3;
    public static final int MAX_WIDTH = 256;
    public static final int MAX_STEPS = 20_000;
    public static final double MAX_LEARNING_RATE = 10;

    /**
     * The page's η per activation, measured through the API on 784-16-16-10, m = 32, 2,000 steps (the
     * page's defaults), seeds 1–5. Sigmoid, η = 3: 92.9–93.8 % of held-out digits right. ReLU trains at
     * η = 3 into a dead network (10–21 %, seeds 1–2); at η = 0.4 it reaches 92.2–94.2 % (0.5: 89.3–93.7 %,
     * 0.7 and 1 lose seeds to dead networks: 40 % and 18 %). The README lists the figures.
     */
    public static final Map<String, Double> DEFAULT_LEARNING_RATES = Map.of("sigmoid", 3.0, "relu", 0.4);

    /**
     * Rejects what cannot be trained, naming the field; {@code digits} is "all" for batchSize when training
     * on the MNIST digits (own drawings say their own).
     */
    public void validate(int digits) {
        if (dataset != null) {
            try {
                dataset.validate();
            } catch (InvalidFieldException e) {
                throw e.within("dataset");
            }
        }
        int trainingSize = dataset == null ? digits : dataset.trainingCount();
        if (hidden == null || hidden.isEmpty() || hidden.size() > MAX_LAYERS) {
            throw new InvalidFieldException("hidden", "must list 1.." + MAX_LAYERS + " hidden layer widths, e.g. [16, 16]");
        }
        for (int i = 0; i < hidden.size(); i++) {
            Integer width = hidden.get(i);
            if (width == null || width < 1 || width > MAX_WIDTH) {
                throw new InvalidFieldException("hidden[" + i + "]", "must be a width of 1.." + MAX_WIDTH + ", not " + width);
            }
        }
        if (activation == null || !List.of("sigmoid", "relu").contains(activation)) {
            throw new InvalidFieldException("activation", "must be sigmoid or relu, not " + activation);
        }
        if (learningRate == null || learningRate.isNaN() || learningRate <= 0 || learningRate > MAX_LEARNING_RATE) {
            throw new InvalidFieldException("learningRate", "must be in (0, " + (int) MAX_LEARNING_RATE + "], not " + learningRate);
        }
        if (batchSize == null || batchSize < 1 || batchSize > trainingSize) {
            throw new InvalidFieldException("batchSize", "must be 1.." + trainingSize + " (" + trainingSize
                    + " = all training " + (dataset == null ? "digits" : "drawings") + ", plain gradient descent), not "
                    + batchSize);
        }
        if (steps == null || steps < 1 || steps > MAX_STEPS) {
            throw new InvalidFieldException("steps", "must be 1.." + MAX_STEPS + ", not " + steps);
        }
        if (seed == null) {
            throw new InvalidFieldException("seed", "is required: the same seed gives the same start and the same curve");
        }
    }

    public MlpShape shape() {
        return new MlpShape(hidden, Activation.valueOf(activation.toUpperCase(Locale.ROOT)),
                dataset == null ? DigitArchitecture.DIGITS : dataset.classes().size());
    }
}
