package dev.deepscope.runs;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How much one run of each kind may store, under {@code deepscope.events.budget.<kind>}: its events' JSON
 * bytes (the {@code data} column, as {@code octet_length} counts it) and their number. A kind not listed
 * gets {@code deepscope.events.budget.default}. The run's final event (done, error, cancelled) is always
 * kept; the budgets leave room for it. {@link EventMeter} holds each run to its kind's budget.
 */
@ConfigurationProperties("deepscope.events")
public record EventBudgets(Map<String, Budget> budget) {

    /** At most {@code bytes} of event data in at most {@code events} events. */
    public record Budget(DataSize bytes, long events) {
    }

    public EventBudgets {
        if (budget == null || !budget.containsKey("default")) {
            throw new IllegalArgumentException("deepscope.events.budget.default must be set");
        }
        budget = Map.copyOf(budget);
    }

    /** The budget of runs of {@code kind}, or the default one. */
    public Budget of(String kind) {
        return budget.getOrDefault(kind, budget.get("default"));
    }
}
