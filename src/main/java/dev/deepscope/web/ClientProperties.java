package dev.deepscope.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who a client is and what one client may hold, under {@code deepscope.clients.*}. A client is counted twice,
 * as its address ({@link ClientAddress}) and as its browser session, and each must stay within the shares.
 *
 * @param trustedProxies proxies (addresses or CIDRs such as {@code 10.0.0.0/8}) whose {@code Forwarded} /
 *                       {@code X-Forwarded-For} names the client; empty (the default) trusts none
 * @param slots          classification slots one client may hold at once (its runs computing and its requests
 *                       computing, together); less than {@code deepscope.runs.slots}, so a client never holds
 *                       every TensorFlow thread either
 * @param trainingSlots  training slots one client may hold at once (a GD-vs-SGD race holds two); less than
 *                       {@code deepscope.training.slots}
 */
@ConfigurationProperties("deepscope.clients")
public record ClientProperties(List<String> trustedProxies, int slots, int trainingSlots) {

    public ClientProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
