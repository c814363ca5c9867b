package dev.deepscope.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who a client is, under {@code deepscope.clients.*} (what it may hold is {@code runs.ShareProperties}).
 *
 * @param trustedProxies proxies (addresses or CIDRs such as {@code 10.0.0.0/8}) whose {@code Forwarded} /
 *                       {@code X-Forwarded-For} names the client; empty (the default) trusts none
 */
@ConfigurationProperties("deepscope.clients")
public record ClientProperties(List<String> trustedProxies) {

    public ClientProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
