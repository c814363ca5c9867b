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
 * path point). Kept in memory, the most recent few only: a path of a 784-256-10 network is ~20 MB.
 */
@Component
public class TrainedNetworks {

    static final int KEPT = 8;

    /** θ after {@code step} steps, with C on the fixed cost sample at that moment. */
    public record PathPoint(int step, double cost, MlpParameters theta) {
    }

    /** A run's network: its path so far, the last point being the current weights. */
    public record Trained(String runId, MlpShape shape, List<PathPoint> path) {
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
    private final Map<String, MlpShape> shapes = new LinkedHashMap<>();

    public synchronized void record(String runId, int step, double cost, MlpParameters theta) {
        paths.computeIfAbsent(runId, id -> new ArrayList<>()).add(new PathPoint(step, cost, theta));
        shapes.put(runId, theta.shape());
        shapes.keySet().retainAll(paths.keySet());
    }

    public synchronized Optional<Trained> find(String runId) {
        List<PathPoint> path = paths.get(runId);
        return path == null ? Optional.empty() : Optional.of(new Trained(runId, shapes.get(runId), List.copyOf(path)));
    }
}
