package dev.deepscope.diffusion.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What chapter 4's training loops keep: every step's loss, and the mean loss of each window of steps,
 * reported as progress with the seconds since the log began.
 */
public final class LossLog {

    /** After step {@code step}: the mean loss of the last window of steps. */
    public record Progress(int step, double meanLoss, double seconds) {
    }

    private final int window;
    private final Consumer<Progress> progress;
    private final List<Float> losses = new ArrayList<>();
    private final long start = System.nanoTime();
    private double windowSum;

    LossLog(int window, Consumer<Progress> progress) {
        this.window = window;
        this.progress = progress;
    }

    /** Records the loss of the next step. */
    void add(float loss) {
        losses.add(loss);
        windowSum += loss;
        if (losses.size() % window == 0) {
            progress.accept(new Progress(losses.size(), windowSum / window, (System.nanoTime() - start) / 1e9));
            windowSum = 0;
        }
    }

    List<Float> losses() {
        return losses;
    }
}
