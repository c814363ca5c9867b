package dev.deepscope.web;

import dev.deepscope.clients.Caller;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.springframework.web.server.ServerWebExchange;

/** The {@link Caller} of a request: its browser session ({@link BrowserSession}) and its address ({@link ClientAddress}). */
public final class Callers {

    private Callers() {
    }


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
