package dev.deepscope.engine.digits;

import java.util.List;
import java.util.Optional;

/**
 * The shape of one of chapter 1's classifiers. The two MLPs are the series' 784-16-16-10 network,
 * differing only in their activation function; the CNN is a small convolutional net.
 */
public record DigitArchitecture(String name, Family family, Activation activation, String description) {

    public enum Family { MLP, CNN }

    /** σ(z) = 1 / (1 + e^(−z)) squashes into (0, 1); ReLU(z) = max(0, z) keeps positives as they are. */
    public enum Activation { SIGMOID, RELU }

    public static final int PIXELS = 28 * 28;
    public static final int DIGITS = 10;
    /** The series' two hidden layers of 16 neurons. */
    public static final int[] MLP_HIDDEN = {16, 16};

    public static final List<DigitArchitecture> ALL = List.of(
            new DigitArchitecture("mlp-sigmoid", Family.MLP, Activation.SIGMOID,
                    "784-16-16-10 with sigmoid neurons, the network of the series"),
            new DigitArchitecture("mlp-relu", Family.MLP, Activation.RELU,
                    "784-16-16-10 with ReLU neurons"),
            new DigitArchitecture("cnn", Family.CNN, Activation.RELU,
                    "two 5×5 convolution layers with max pooling, then 128 dense neurons"));

    public static Optional<DigitArchitecture> named(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
