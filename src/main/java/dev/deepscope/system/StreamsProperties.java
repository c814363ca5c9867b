package dev.deepscope.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How many event streams the server holds and how replays read the store, under {@code deepscope.streams.*}.
 *
 * @param perAddress    event streams (live and replays) one client address may have open at once; more get 429
 * @param total         event streams open at once on this instance, all addresses together; more get 429
 * @param retryAfter    the Retry-After of a refused stream: about how long a replay takes to end and free its place
 * @param pageEvents    a replay page holds at most this many events (pages start at multiples of it, so
 *                      viewers that resumed at different events soon share pages again)
 * @param pageBytes     ... and at most about this many bytes of event data (at least one event)
 * @param pageCache     the pages all replays share, bounded in bytes (their events' data, counted twice for
 *                      the encoded frame each event keeps)
 * @param pageReads     database reads for replays at once (pages and run lookups); the rest queue here, not in
 *                      the connection pool, so replays never take every connection
 * @param headerTimeout once a request has begun to arrive, its request line and headers must be complete
 *                      within this, or the connection is closed (a client that sends nothing at all is cut by
 *                      {@code server.netty.idle-timeout})
 * @param bodyTimeout   a request body must keep arriving: a pause longer than this between two reads of it, or
 *                      a body not complete within four times this, closes the connection (a client that stops
 *                      sending half-way would otherwise hold its connection, and a graceful stop, for ever)
 */
@ConfigurationProperties("deepscope.streams")
public record StreamsProperties(int perAddress, int total, Duration retryAfter, int pageEvents, DataSize pageBytes,
                                DataSize pageCache, int pageReads, Duration headerTimeout,
                                Duration bodyTimeout) {
}
