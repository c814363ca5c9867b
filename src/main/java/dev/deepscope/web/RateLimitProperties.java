package dev.deepscope.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The pace one client may start work at, under {@code deepscope.rate-limit.*} ({@link RateLimits}).
 *
 * @param perSession requests that start work per browser session in each period
 * @param perAddress requests that start work per client address in each period
 * @param liveFactor how many times larger the live preview's buckets are (drawing on the digit pad)
 * @param period     how often a bucket refills
 */
@ConfigurationProperties("deepscope.rate-limit")
public record RateLimitProperties(int perSession, int perAddress, int liveFactor, Duration period) {
}
