package dev.deepscope.clients;

/**
 * Who asks: the browser session and the client address, the two things every per-client limit counts
 * (made from a request by {@code web.Callers}). A package of its own, below both: the web layer makes callers,
 * admission ({@code runs.Admission}) counts them, and neither may import the other's package the other way.
 *
 * @param session the session id; a client without a cookie has a fresh one per request
 * @param address the address as limits count it: an IPv4 address, or an IPv6 /64 (what one subscriber is
 *                usually given, so a client cannot step around its limits by changing its interface id);
 *                {@code unknown} if the peer is not known
 */
public record Caller(String session, String address) {
}
