package dev.deepscope.runs;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What one client may hold, under {@code deepscope.clients.*} (beside {@code trusted-proxies}, which
 * {@code web.ClientProperties} reads). A client is counted twice, as its address and as its browser session, and
 * each must stay within these shares ({@link Admission}).
 *
 * @param slots         classification slots one client may hold at once (its runs computing and its requests
 *                      computing, together); less than {@code deepscope.runs.slots}, so a client never holds
 *                      every TensorFlow thread either
 * @param trainingSlots training slots one client may hold at once (a GD-vs-SGD race holds two); less than
 *                      {@code deepscope.training.slots}
 */
@ConfigurationProperties("deepscope.clients")
public record ShareProperties(int slots, int trainingSlots) {
}
