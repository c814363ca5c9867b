package dev.deepscope.retention;

import dev.deepscope.errors.GoneException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Why a run is gone, from its tombstone: removed for its {@link #AGE} ({@code keptFor} after its last use) or to
 * keep all runs under the size cap ({@link #SIZE}, {@code cap} bytes, least recently used first).
 */
public record Expiry(String id, Instant expiredAt, String reason, Instant lastUsedAt, boolean shared,
                     Duration keptFor, DataSize cap) {

    public static final String AGE = "age";
    public static final String SIZE = "size";

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** One sentence a person reads: what happened to the run, when and why. */
    public String explanation() {
        if (SIZE.equals(reason)) {
            return "The run " + id + " expired on " + WHEN.format(expiredAt) + ": it was removed to keep the stored runs"
                    + " under " + megabytes(cap) + ", least recently used first (it was last opened on "
                    + WHEN.format(lastUsedAt) + ").";
        }
        return "The run " + id + " expired on " + WHEN.format(expiredAt) + ": " + (shared ? "shared runs" : "runs")
                + " are kept " + span(keptFor) + " after they were last opened, and this one was last opened on "
                + WHEN.format(lastUsedAt) + ".";
    }

    /** The 410 answer, with when and why as problem members. */
    public GoneException gone() {
        return new GoneException("id", explanation(), Map.of("expiredAt", expiredAt.toString(), "reason", reason));
    }

    /** "30 days", "1 year", "90 minutes", "2 seconds": the largest unit that counts it whole. */
    static String span(Duration d) {
        long seconds = d.toSeconds();
        long[] sizes = {365L * 86_400, 86_400, 3_600, 60};
        String[] names = {"year", "day", "hour", "minute"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i] && seconds % sizes[i] == 0) {
                return plural(seconds / sizes[i], names[i]);
            }
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static String megabytes(DataSize size) {
        return size.toMegabytes() >= 1 ? size.toMegabytes() + " MB" : size.toBytes() + " bytes";
    }
}
