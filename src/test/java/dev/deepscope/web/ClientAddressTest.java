package dev.deepscope.web;

import dev.deepscope.clients.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Which address a request counts as: only trusted proxies' forwarded hops are read, right to left. */
class ClientAddressTest {

    final ClientAddress resolver = new ClientAddress(new ClientProperties(List.of("10.0.0.0/8", "2001:db8:ffff::1")));

    String resolve(String peer, String header, String value) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        if (header != null) {
            request.header(header, value);
        }
        return resolver.resolve(request.build()).getHostAddress();
    }

    @Test
    void theRightMostUntrustedHopOfATrustedProxyIsTheClient() {
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "1.1.1.1, 203.0.113.7, 10.9.9.9")).isEqualTo("203.0.113.7");
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "203.0.113.7:5555")).isEqualTo("203.0.113.7");
        assertThat(resolve("2001:db8:ffff:0:0:0:0:1", "Forwarded",
                "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "10.7.7.7, 10.8.8.8")).as("only proxies: the left-most")
                .isEqualTo("10.7.7.7");
    }

    @Test
    void anUntrustedPeerOrAnUnreadableHopIsNeverPassedOver() {
        assertThat(resolve("203.0.113.9", "X-Forwarded-For", "1.1.1.1")).isEqualTo("203.0.113.9");
        assertThat(resolve("203.0.113.9", "Forwarded", "for=1.1.1.1")).isEqualTo("203.0.113.9");
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "1.1.1.1, evil.example")).isEqualTo("10.1.2.3");
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "1.1.1.1, unknown, 10.2.2.2")).isEqualTo("10.2.2.2");
        assertThat(resolve("10.1.2.3", "X-Forwarded-For", "999.1.1.1")).isEqualTo("10.1.2.3");
        assertThat(resolve("10.1.2.3", null, null)).isEqualTo("10.1.2.3");
    }

    @Test
    void anIpv6ClientCountsAsItsSlash64AndBadSettingsFailAtStart() throws Exception {
        assertThat(Callers.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
                .isEqualTo(Callers.addressKey(InetAddress.getByName("2001:db8:1:2:bbbb::2"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(Callers.addressKey(InetAddress.getByName("203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThatThrownBy(() -> new ClientAddress(new ClientProperties(List.of("proxy.example"))))
                .hasMessageContaining("proxy.example");
    }
}
