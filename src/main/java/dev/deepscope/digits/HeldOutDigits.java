package dev.deepscope.digits;

import java.util.List;
import org.springframework.stereotype.Component;

/** The validation digits no model trained on, for "pick a real test digit" on the page. */
@Component
public class HeldOutDigits {

    private final List<LabelledDigit> digits;

    HeldOutDigits(MnistDigits mnist) {
        this.digits = mnist.validation();
    }

    public int count() {
        return digits.size();
    }

    public LabelledDigit get(int index) {
        return digits.get(index);
    }
}
