package dev.deepscope.runs;

import dev.deepscope.errors.InvalidFieldException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kinds of run there are (one {@link RunWorker} each) and their params: JSON in, typed and validated params
 * with every default written out, and the seed they compute with ({@link Seeded}), out. What is stored is those
 * params serialised back, so whatever else a client sent inside {@code params} is gone.
 */
@Component
public class RunKinds {

    /**
     * A run that passed validation: its params as it uses them (defaults filled in), their JSON as stored and the
     * seed it computes with (null for a kind that draws no random numbers).
     */
    record Checked<P>(RunWorker<P> worker, JsonNode json, P params, Long seed) {
    }

    private final Map<String, RunWorker<?>> workers;
    private final JsonMapper json;

    RunKinds(List<RunWorker<?>> workers, JsonMapper json) {
        this.workers = workers.stream().collect(Collectors.toMap(RunWorker::kind, Function.identity()));
        this.json = json;
    }

    /** Every kind, sorted by name. */
    public List<String> kinds() {
        return workers.keySet().stream().sorted().toList();
    }

    /** The worker of a kind, or null if there is no such kind. */
    RunWorker<?> worker(String kind) {
        return kind == null ? null : workers.get(kind);
    }

    /**
     * {@code kind} and its {@code params} (null = none given) checked: typed, validated, defaults filled in.
     *
     * @throws InvalidFieldException naming {@code kind}, {@code params} or the field inside params
     */
    Checked<?> check(String kind, JsonNode params) {
        RunWorker<?> worker = worker(kind);
        if (worker == null) {
            throw new InvalidFieldException("kind", "must be one of " + kinds());
        }
        return check(worker, params == null || params.isNull() ? json.createObjectNode() : params);
    }

    private <P> Checked<P> check(RunWorker<P> worker, JsonNode paramsJson) {
        if (!paramsJson.isObject()) {
            throw new InvalidFieldException("params", "must be a JSON object");
        }
        P asked = typed(worker, paramsJson);
        try {
            worker.validate(asked);
        } catch (InvalidFieldException e) {
            throw e.within("params");
        }
        P params = worker.withDefaults(asked);
        return new Checked<>(worker, json.valueToTree(params), params, seedOf(worker, params));
    }

    private static Long seedOf(RunWorker<?> worker, Object params) {
        if (!(params instanceof Seeded seeded)) {
            return null;
        }
        if (seeded.seed() == null) {   // the run would compute with some seed and record none: no rerun could repeat it
            throw new IllegalStateException(worker.kind() + ": withDefaults must fill in the seed");
        }
        return seeded.seed();
    }

    /**
     * The stored {@code params} of a run of {@code worker}'s kind, typed again.
     *
     * @throws InvalidFieldException ({@code params}) if they do not convert
     */
    <P> P typed(RunWorker<P> worker, JsonNode params) {
        try {
            return json.treeToValue(params, worker.paramsType());
        } catch (JacksonException e) {
            throw InvalidFieldException.wrongType("params", e);
        }
    }

    /** What the history shows for {@code run}: its worker's summary, or just its kind if that cannot be read. */
    RunSummary summarize(Run run) {
        RunWorker<?> worker = worker(run.kind());
        JsonNode result = run.status() == RunStatus.DONE ? run.result() : null;
        return worker == null ? new RunSummary(run.kind(), null) : summarize(worker, run.params(), result);
    }

    private <P> RunSummary summarize(RunWorker<P> worker, JsonNode params, JsonNode result) {
        try {
            return worker.summarize(typed(worker, params), result);
        } catch (InvalidFieldException e) {
            return new RunSummary(worker.kind(), null);
        }
    }
}
