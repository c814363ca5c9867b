package dev.deepscope.text.own;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Models that {@code train-text} runs trained, under {@code deepscope.text-training.*}: how many are kept in
 * memory at once (the least recently used go first) and how long one is kept after it was last used.
 */
@ConfigurationProperties("deepscope.text-training")
public record OwnTextProperties(int kept, Duration keptFor, int gone) {

    public OwnTextProperties {
        if (kept < 1 || keptFor == null || keptFor.isNegative() || keptFor.isZero() || gone < 1) {
            throw new IllegalArgumentException("deepscope.text-training: kept ≥ 1, kept-for > 0 and gone ≥ 1 are needed");
        }
    }
}
