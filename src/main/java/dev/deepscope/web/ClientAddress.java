package dev.deepscope.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The client's address, honestly: the TCP peer — or, only when the peer is a proxy trusted by configuration
 * ({@code deepscope.clients.trusted-proxies}: addresses or CIDRs, none by default), the right-most address of
 * {@code Forwarded} (RFC 7239 {@code for=}) or else {@code X-Forwarded-For} that is not itself a trusted proxy.
 * Each proxy appends the address it saw, so everything left of the first untrusted hop may be written by the
 * client and is never read. Headers from an untrusted peer are ignored entirely.
 *
 * <p>A hop that is not an IP literal ({@code unknown}, an obfuscated name, garbage) ends the walk at the last
 * trusted proxy, whose own address is then the client's: it is the nearest address anyone vouched for. No
 * name is ever resolved (no DNS on a request's header).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ClientAddress implements WebFilter {

    private static final String ATTRIBUTE = ClientAddress.class.getName();
    /** A dotted quad, each part 0..255 (legacy forms such as {@code 1.2} are refused). */
    private static final Pattern IPV4 = Pattern.compile(
            "((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})(?::\\d{1,5})?");
    /**
     * Hex digits, colons and dots (an IPv4-mapped tail) with at least one colon, starting with a hex digit or a
     * colon (what {@link InetAddress#getByName} parses as a literal without a lookup), optionally in brackets
     * with a port.
     */
    private static final Pattern IPV6 = Pattern.compile("\\[?((?=[0-9a-f:.]*:)[0-9a-f:][0-9a-f:.]*)(?:](?::\\d{1,5})?)?");
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)(?:^|;)\\s*for\\s*=\\s*(\"[^\"]*\"|[^;,\\s]*)");

    /** A trusted network: an address and how many of its leading bits must match. */
    private record Network(byte[] prefix, int bits) {

        /** {@code 10.0.0.0/8}, {@code fd00::/8}, or a single address (all bits). */
        static Network parse(String cidr) {
            String[] parts = cidr.trim().split("/", 2);
            byte[] address = literal(parts[0]).map(InetAddress::getAddress).orElseThrow(() ->
                    new IllegalStateException("deepscope.clients.trusted-proxies: " + cidr + " is not an IP address or CIDR"));
            int bits = parts.length == 1 ? address.length * 8 : Integer.parseInt(parts[1].trim());
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalStateException("deepscope.clients.trusted-proxies: " + cidr + " has a bad prefix length");
            }
            return new Network(address, bits);
        }

        boolean contains(InetAddress candidate) {
            byte[] address = candidate.getAddress();
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Network> trusted;

    ClientAddress(ClientProperties properties) {
        this.trusted = properties.trustedProxies().stream().map(Network::parse).toList();
    }

    /**
     * The caller's address (set for every request by this filter; the bare TCP peer for an exchange that did not
     * pass it); null only if the peer is unknown.
     */
    public static InetAddress of(ServerWebExchange exchange) {
        InetAddress resolved = exchange.getAttribute(ATTRIBUTE);
        if (resolved != null) {
            return resolved;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetAddress address = resolve(exchange.getRequest());
        if (address != null) {
            exchange.getAttributes().put(ATTRIBUTE, address);
        }
        return chain.filter(exchange);
    }

    InetAddress resolve(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwarded(request);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;   // every hop is a trusted proxy: the left-most one is as far as anyone can see
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(network -> network.contains(address));
    }

    /** The forwarded hops, left (first proxy's client) to right (the last proxy's peer): Forwarded wins. */
    private static List<String> forwarded(ServerHttpRequest request) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = request.getHeaders().getOrEmpty("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String header : forwarded) {
                for (String element : header.split(",")) {
                    Matcher m = FORWARDED_FOR.matcher(element.trim());
                    hops.add(m.find() ? m.group(1).replace("\"", "") : "");
                }
            }
            return hops;
        }
        for (String header : request.getHeaders().getOrEmpty("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop);
            }
        }
        return hops;
    }

    /** An IP literal (IPv4 with an optional port; IPv6 optionally as {@code [v6]:port}), never a name. */
    static Optional<InetAddress> literal(String text) {
        String hop = text.trim().toLowerCase(Locale.ROOT);
        Matcher v4 = IPV4.matcher(hop);
        Matcher v6 = IPV6.matcher(hop);
        String literal = v4.matches() ? v4.group(1) : v6.matches() ? v6.group(1) : null;
        if (literal == null || literal.length() > 45) {
            return Optional.empty();
        }
        try {
            // a dotted quad or a text with a colon is parsed as a literal, never looked up
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
