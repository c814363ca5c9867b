package dev.deepscope.learning;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import dev.deepscope.system.TrainingProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code train} run: a fresh network learns the digits (or the learner's own drawings, some held out) by
 * gradient descent while the page watches.
 * Streams {@code metric} events (several a second), {@code weights} pictures of the first layer (about one
 * a second), and ends with {@code done} holding the last metric and a {@link TrainingDiagnosis} (learned,
 * stuck or diverging) computed from the run's own metrics. Stops between two steps when cancelled.
 */
@Component
class TrainRun implements RunWorker<TrainParams> {

    private final DigitData data;
    private final TrainedNetworks trained;
    private final int tensorflowThreads;

    TrainRun(DigitData data, TrainedNetworks trained, TrainingProperties training) {
        this.data = data;
        this.trained = trained;
        this.tensorflowThreads = training.tensorflowThreads();
    }

    static final String KIND = "train";

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * "784-16-16-10 relu, η 3, m 32, 2000 steps, seed 1 → 11 % right (stuck)": the setting, and once it is done
     * its accuracy, the diagnosis when it did not learn, and the cost curve.
     */
    @Override
    public RunSummary summarize(TrainParams params, JsonNode result) {
        String settings = params.shape().describe() + " " + params.activation() + ", η " + number(params.learningRate())
                + ", m " + params.batchSize() + ", " + params.steps() + " steps, seed " + params.seed()
                + (params.dataset() == null ? "" : ", own drawings: " + String.join(", ", params.dataset().classes())
                        + " (" + params.dataset().examples().size() + ")");
        if (result == null) {
            return new RunSummary(settings, null);
        }
        double accuracy = result.path("last").path("accuracy").asDouble(Double.NaN);
        List<Double> costs = new ArrayList<>();
        result.path("costCurve").forEach(c -> costs.add(c.asDouble()));
        String verdict = result.path("diagnosis").path("verdict").asString("ok");
        String outcome = (Double.isFinite(accuracy) ? " → " + Math.round(accuracy * 100) + " % right" : "")
                + (verdict.equals("ok") ? "" : " (" + verdict + ")");
        return new RunSummary(settings + outcome, CostCurve.thumbnail(costs));
    }

    /** 3 rather than 3.0, 0.5 as it is. */
    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public Class<TrainParams> paramsType() {
        return TrainParams.class;
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public void validate(TrainParams params) {
        params.validate(data.training().size());
    }

    /** The digits, or the run's own drawings split by its seed. */
    private Trainable trainable(TrainParams params) {
        if (params.dataset() == null) {
            return new Trainable(data, null);
        }
        OwnDrawings.Split split = params.dataset().split(params.seed());
        return new Trainable(DigitData.ofDrawings(split.training(), split.heldOut()), split.heldOutIndices());
    }

    private record Trainable(DigitData data, List<Integer> heldOut) {
    }


    @Override
    public Object execute(TrainParams params, RunContext context) {
        Trainable trainable = trainable(params);
        DigitData data = trainable.data();
        List<GradientDescent.Metric> metrics = new ArrayList<>();     // ≤ steps + 1 points
        MlpParameters[] end = new MlpParameters[1];
        CostCurve curve = new CostCurve();
        GradientDescent.Metric last = GradientDescent.train(params, data, tensorflowThreads,
                new GradientDescent.Listener() {
                    @Override
                    public void beforeStep(int step) {
                        context.checkCancelled();
                    }

                    @Override
                    public void metric(GradientDescent.Metric metric) {
                        metrics.add(metric);
                        curve.add(metric.cost());
                        context.emit("metric", metric);
                    }

                    @Override
                    public void weights(int step, MlpParameters theta) {
                        context.emit("weights", WeightPictures.of(step, theta));
                    }

                    @Override
                    public void path(int step, double cost, MlpParameters theta) {
                        trained.record(context.runId(), data, step, cost, theta);
                        end[0] = theta;                      // the last call is at the last step
                    }
                });
        HeldOut heldOut = trainable.heldOut() == null ? null : new HeldOut(trainable.heldOut(),
                (int) Math.round(last.accuracy() * trainable.heldOut().size()), last.accuracy());
        return new Done(params.shape().describe(), params.shape().parameterCount(), data.training().size(), last,
                diagnose(params, data, metrics, end[0]), curve.costs(), heldOut);
    }

    /**
     * The {@code done} event: the network ("784-16-16-10"), its parameter count, the training digits (or
     * drawings), the last metric, the diagnosis, the cost curve (at most {@link CostCurve}'s points) the history
     * draws, and for own drawings which were held out and how many of them the network gets right.
     */
    record Done(String network, long parameters, int trainingDigits, GradientDescent.Metric last,
                TrainingDiagnosis diagnosis, List<Double> costCurve,
                @JsonInclude(JsonInclude.Include.NON_NULL) HeldOut heldOut) {
    }

    /** Own drawings kept out of training: their indices in {@code params.dataset.examples}, right answers, accuracy. */
    record HeldOut(List<Integer> examples, int right, double accuracy) {
    }

    private TrainingDiagnosis diagnose(TrainParams params, DigitData data, List<GradientDescent.Metric> metrics,
                                       MlpParameters theta) {
        NeuronCensus neurons = NeuronCensus.of(theta, data.training(), data.costSample());
        TrainingDiagnosis.Examples examples = params.dataset() == null ? TrainingDiagnosis.Examples.DIGITS
                : new TrainingDiagnosis.Examples("drawings", data.training().size() + " training drawings");
        return TrainingDiagnosis.of(metrics, neurons, params.shape().widths(), params.learningRate(),
                TrainParams.DEFAULT_LEARNING_RATES.get(params.activation()), examples);
    }
}
