package dev.deepscope.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Browser sessions, under {@code deepscope.sessions.*}.
 *
 * @param key the secret that signs session cookies (at least 32 characters), the same for every instance that
 *            serves the same people; blank means one is generated once and kept in the data directory
 *            ({@link SessionKey})
 */
@ConfigurationProperties("deepscope.sessions")
public record SessionProperties(String key) {
}
