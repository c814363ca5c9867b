package dev.deepscope.learning;

import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.engine.learning.MlpShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The networks that recent {@code train} runs produced, with the path θ took, so the landscape and the
 * backprop inspector can look at "the network you just trained" (and at one still training: its latest
 * path point), on the data it was trained on (a learner's own drawings are kept with it: ≤ 0.6 MB). Kept in
 * memory, the most recent few only: a path of a 784-256-10 network is ~20 MB.
 */
@Component
public class TrainedNetworks {

    static final int KEPT = 8;

    /** θ after {@code step} steps, with C on the fixed cost sample at that moment. */
    public record PathPoint(int step, double cost, MlpParameters theta) {
    }

    /** A run's network: its path so far, the last point being the current weights, and its training data. */
    public record Trained(String runId, MlpShape shape, List<PathPoint> path, DigitData data) {
        public MlpParameters current() {
            return path.get(path.size() - 1).theta();
        }
    }

    private final Map<String, List<PathPoint>> paths = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<PathPoint>> eldest) {
            return size() > KEPT;
        }
    };
    private final Map<String, DigitData> data = new LinkedHashMap<>();

    /** A point of run {@code runId}'s path; {@code trainedOn} is the same for every point of a run. */
    public synchronized void record(String runId, DigitData trainedOn, int step, double cost, MlpParameters theta) {
        paths.computeIfAbsent(runId, id -> new ArrayList<>()).add(new PathPoint(step, cost, theta));
        data.put(runId, trainedOn);
        data.keySet().retainAll(paths.keySet());
    }

    public synchronized Optional<Trained> find(String runId) {
        List<PathPoint> path = paths.get(runId);
        return path == null ? Optional.empty()
                : Optional.of(new Trained(runId, path.get(0).theta().shape(), List.copyOf(path), data.get(runId)));
    }
}
