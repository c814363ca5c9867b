package dev.deepscope.digits;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The official MNIST test digits (10,000, in file order), which no model trained or tuned on: the pages'
 * "real test digit" buttons pick from them and say the index and label.
 */
@Component
public class HeldOutDigits {

    private final List<LabelledDigit> digits;

    HeldOutDigits() {
        this.digits = OfficialMnist.test();
    }

    public int count() {
        return digits.size();
    }

    public LabelledDigit get(int index) {
        return digits.get(index);
    }
}
