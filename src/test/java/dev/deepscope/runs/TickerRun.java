package dev.deepscope.runs;

import dev.deepscope.errors.InvalidFieldException;
import java.util.Map;
import org.springframework.boot.test.context.TestComponent;

/**
 * A test-only kind of run that takes as long as it is told: {@code ticks} events, {@code millis} apart.
 * It lets tests watch a run that is still computing (cancellation, disconnects, reconnects).
 */
@TestComponent
public class TickerRun implements RunWorker<TickerRun.Params> {

    public record Params(Integer ticks, Integer millis, String label) {
    }

    @Override
    public String kind() {
        return "ticker";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public void validate(Params params) {
        if (params.ticks() == null || params.ticks() < 1 || params.ticks() > 10_000) {
            throw new InvalidFieldException("ticks", "must be 1..10000");
        }
    }

    @Override
    public RunSummary summarize(Params params, tools.jackson.databind.JsonNode result) {
        return new RunSummary(params.label() == null ? "ticker" : params.label(), null);
    }

    @Override
    public Object execute(Params params, RunContext context) {
        for (int n = 1; n <= params.ticks(); n++) {
            context.emit("tick", Map.of("n", n));
            try {
                Thread.sleep(params.millis() == null ? 20 : params.millis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunCancelledException("interrupted");
            }
        }
        return Map.of("ticks", params.ticks());
    }
}
