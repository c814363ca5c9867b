package dev.deepscope.system;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Training runs' share of the machine, under {@code deepscope.training.*}: how many may compute at once
 * (each on its own thread; more get 429) and how many TensorFlow threads each one's session may use.
 */
@ConfigurationProperties("deepscope.training")
public record TrainingProperties(int slots, int tensorflowThreads) {
}
