package dev.deepscope.mnist;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/**
 * The official MNIST test digits (10,000, in file order), which no model trained or tuned on: the pages'
 * "real test digit" buttons pick from them and say the index and label.
 */
@Component
public class HeldOutDigits {

    private final List<LabelledDigit> digits;
    /** Each digit's pixels as bytes (0..255) → its index, so a history entry can tell a test digit from a drawn one. */
    private final Map<ByteBuffer, Integer> byPixels = new HashMap<>();

    HeldOutDigits() {
        this.digits = OfficialMnist.test();
        for (int i = 0; i < digits.size(); i++) {
            byPixels.putIfAbsent(key(digits.get(i).pixels()), i);
        }
    }

    public int count() {
        return digits.size();
    }

    public LabelledDigit get(int index) {
        return digits.get(index);
    }

    /** The index of the test digit with exactly these pixels (as the page got them from the API), if any. */
    public OptionalInt indexOf(float[] pixels) {
        Integer index = byPixels.get(key(pixels));
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }

    private static ByteBuffer key(float[] pixels) {
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
        }
        return ByteBuffer.wrap(bytes);
    }
}
