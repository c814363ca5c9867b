package dev.deepscope.runs;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Holds one run to its kind's {@link EventBudgets.Budget}: counts the events and JSON bytes it emitted and refuses
 * the first event that would go past either, and every event after it, so what is kept (and streamed) is always
 * a whole prefix of the run. The run itself goes on to its {@code done}, which then says what was held back:
 * the result (a text, an image, a trained network's verdict) is worth more than failing the whole run, and a
 * prefix replays exactly as it was watched live. Used by one worker thread at a time.
 */
final class EventMeter {

    private static final Logger log = LoggerFactory.getLogger(EventMeter.class);

    private final String runId;
    private final String kind;
    private final EventBudgets.Budget budget;
    private long events;
    private long bytes;
    private long heldBack;

    EventMeter(String runId, String kind, EventBudgets.Budget budget) {
        this.runId = runId;
        this.kind = kind;
        this.budget = budget;
    }

    /**
     * The event's JSON data if it fits in the budget (then it is counted), or null from the first that does not
     * on; {@code data} is not even serialised once the budget is spent.
     */
    String admit(Supplier<String> data) {
        if (heldBack > 0) {
            heldBack++;
            return null;
        }
        String text = data.get();
        long size = utf8Length(text);
        if (events + 1 > budget.events() || bytes + size > budget.bytes().toBytes()) {
            heldBack++;
            // a worker within its design never gets here: its kind's budget covers its largest params
            log.warn("Run {} ({}) reached its event budget after {} events / {} bytes; the rest is held back",
                    runId, kind, events, bytes);
            return null;
        }
        events++;
        bytes += size;
        return text;
    }

    /** Events refused so far. */
    long heldBack() {
        return heldBack;
    }

    /**
     * The worker's result for the {@code done} event, with a {@code budget} note {kept, heldBack, maxEvents,
     * maxBytes, message} when events were held back (a result that is not a JSON object is wrapped as {@code result}).
     */
    Object done(Object result, JsonMapper json) {
        if (heldBack == 0) {
            return result;
        }
        JsonNode tree = json.valueToTree(result);
        ObjectNode done = tree instanceof ObjectNode object ? object : json.createObjectNode().set("result", tree);
        BudgetNote note = new BudgetNote(events, heldBack, budget.events(), budget.bytes().toBytes(),
                "This " + kind + " run reached its budget of " + budget.events() + " events / "
                + budget.bytes().toKilobytes() + " KB, so its last " + heldBack + " events were not kept or shown;"
                + " its result is complete.");
        done.set("budget", json.valueToTree(note));
        return done;
    }

    /** The {@code budget} note of a {@code done} event: events kept and held back, the kind's budget, a sentence. */
    record BudgetNote(long kept, long heldBack, long maxEvents, long maxBytes, String message) {
    }

    /** The UTF-8 length of JSON text without encoding it (what PostgreSQL's octet_length counts). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
