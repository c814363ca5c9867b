package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The central guard on its own: a run keeps a whole prefix of its events within its budget, and done says so. */
class EventMeterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void keepsEventsUntilTheFirstThatWouldGoOverTheBytesThenNoneAndNeverSerialisesThem() {
        EventMeter meter = new EventMeter("r", "ticker", new EventBudgets.Budget(DataSize.ofBytes(25), 100));
        List<String> kept = new ArrayList<>();
        AtomicInteger serialised = new AtomicInteger();
        for (String data : List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":333333}", "{}", "{\"n\":4}")) {
            String text = meter.admit(() -> {
                serialised.incrementAndGet();
                return data;
            });
            if (text != null) {
                kept.add(text);
            }
        }
        // 7 + 7 bytes fit in 25; the 12-byte third would make 26, and the small fourth comes after a gap: dropped too
        assertThat(kept).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(meter.heldBack()).isEqualTo(3);
        assertThat(serialised).as("nothing is serialised once the budget is spent").hasValue(3);
    }

    @Test
    void keepsAtMostTheBudgetsNumberOfEvents() {
        EventMeter meter = new EventMeter("r", "ticker", new EventBudgets.Budget(DataSize.ofMegabytes(1), 3));
        int kept = 0;
        for (int i = 0; i < 10; i++) {
            if (meter.admit(() -> "{}") != null) {
                kept++;
            }
        }
        assertThat(kept).isEqualTo(3);
        assertThat(meter.heldBack()).isEqualTo(7);
    }

    @Test
    void doneIsTheResultAsItWasWithinBudgetAndSaysWhatWasHeldBackBeyondIt() {
        EventMeter within = new EventMeter("r", "ticker", new EventBudgets.Budget(DataSize.ofKilobytes(1), 10));
        Map<String, Integer> result = Map.of("ticks", 3);
        assertThat(within.admit(() -> "{}")).isEqualTo("{}");
        assertThat(within.done(result, JSON)).isSameAs(result);

        EventMeter over = new EventMeter("r", "ticker", new EventBudgets.Budget(DataSize.ofKilobytes(1), 1));
        over.admit(() -> "{}");
        over.admit(() -> "{}");
        over.admit(() -> "{}");
        JsonNode done = JSON.valueToTree(over.done(result, JSON));
        assertThat(done.path("ticks").asInt()).isEqualTo(3);
        assertThat(done.path("budget").path("kept").asLong()).isEqualTo(1);
        assertThat(done.path("budget").path("heldBack").asLong()).isEqualTo(2);
        assertThat(done.path("budget").path("message").asString()).contains("ticker", "budget", "2 events");
    }

    @Test
    void countsBytesAsUtf8LikePostgresOctetLength() {
        for (String s : List.of("", "abc", "naïve", "日本", "🙂", "\\u0000\"x\"")) {
            assertThat(EventMeter.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
