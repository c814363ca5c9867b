package dev.deepscope.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who asks: the browser session and the client address, the two things every per-client limit counts.
 *
 * @param session the session id ({@link BrowserSession}); a client without a cookie has a fresh one per request
 * @param address the address as limits count it ({@link ClientAddress}): an IPv4 address, or an IPv6 /64 (what
 *                one subscriber is usually given, so a client cannot step around its limits by changing its
 *                interface id); {@code unknown} if the peer is not known
 */
public record Caller(String session, String address) {

    /** The caller of this request. */
    public static Caller of(ServerWebExchange exchange) {
        return new Caller(BrowserSession.of(exchange), addressKey(ClientAddress.of(exchange)));
    }

    static String addressKey(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException impossible) {   // 16 bytes are always an address
                throw new IllegalStateException(impossible);
            }
        }
        return address.getHostAddress();
    }
}
