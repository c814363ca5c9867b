package dev.deepscope.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers a GET or HEAD of a fingerprinted front-end file ({@code /css/app-<md5>.css}, see {@link StaticAssets}) from
 * memory, ahead of every other filter, Spring Security's chain and the handler lookup: such a URL names bytes that
 * never change, so the answer needs no session, no CSRF token, no rate limit and no file lookup. The first request
 * for a file goes the whole way (resolved, transformed, secured as before) and its 200 answer's bytes and headers are
 * kept; later ones are written from those with {@code X-Content-Type-Options: nosniff} (the one security header a
 * file needs: the browser must not run it as another type). Requests with {@code Range} or a conditional header go
 * the whole way, so 206 and 304 stay the resource handler's.
 *
 * <p>Bounded: files up to {@link #MAX_FILE_BYTES} each, {@link #MAX_BYTES} in all (Caffeine evicts the rarely used
 * first). A path that only looks fingerprinted (no such file) is answered 404 the whole way and never kept.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class FingerprintedFiles implements WebFilter {

    /** KaTeX's script, the largest file, is ≈ 280 KB. */
    static final int MAX_FILE_BYTES = 4 << 20;
    static final long MAX_BYTES = 32 << 20;
    private static final int MD5_HEX = 32;

    /** A kept answer: its headers (as the first answer had them, plus nosniff) and its body. */
    private record File(HttpHeaders headers, byte[] body) {
    }

    private final Cache<String, File> files = Caffeine.newBuilder().maximumWeight(MAX_BYTES)
            .<String, File>weigher((path, file) -> file.body().length + 512).build();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return chain.filter(exchange);
        }
        String path = request.getPath().value();
        if (!isFingerprinted(path) || hasRangeOrCondition(request.getHeaders())) {
            return chain.filter(exchange);
        }
        File file = files.getIfPresent(path);
        if (file == null) {
            return method == HttpMethod.HEAD ? chain.filter(exchange)
                    : chain.filter(exchange.mutate().response(new Keeping(exchange.getResponse(), path)).build());
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().addAll(file.headers());
        if (method == HttpMethod.HEAD) {
            return response.setComplete();
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(file.body())));
    }

    /** The last segment ends in {@code -<32 hex digits>.<extension>}, as VersionResourceResolver writes it. */
    static boolean isFingerprinted(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        int dash = dot - MD5_HEX - 1;
        if (dot < 0 || dash <= slash || path.charAt(dash) != '-' || dot == path.length() - 1) {
            return false;
        }
        for (int i = dash + 1; i < dot; i++) {
            char c = path.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasRangeOrCondition(HttpHeaders headers) {
        return headers.containsHeader(HttpHeaders.RANGE) || headers.containsHeader(HttpHeaders.IF_NONE_MATCH)
                || headers.containsHeader(HttpHeaders.IF_MODIFIED_SINCE) || headers.containsHeader(HttpHeaders.IF_MATCH)
                || headers.containsHeader(HttpHeaders.IF_UNMODIFIED_SINCE);
    }

    /** Passes a first answer on unchanged and keeps its bytes if it is a whole 200 of a bounded size. */
    private final class Keeping extends ServerHttpResponseDecorator {

        private final String path;

        Keeping(ServerHttpResponse delegate, String path) {
            super(delegate);
            this.path = path;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            HttpStatus status = HttpStatus.resolve(getStatusCode() == null ? 200 : getStatusCode().value());
            long length = getHeaders().getContentLength();
            if (status != HttpStatus.OK || getHeaders().getContentType() == null || length < 0
                    || length > MAX_FILE_BYTES) {
                return super.writeWith(body);
            }
            return DataBufferUtils.join(body, MAX_FILE_BYTES).flatMap(joined -> {
                byte[] bytes = new byte[joined.readableByteCount()];
                joined.read(bytes);
                DataBufferUtils.release(joined);
                if (bytes.length != length) {   // not the whole file: pass it on, keep nothing
                    return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
                }
                files.put(path, new File(keptHeaders(getHeaders(), bytes.length), bytes));
                return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
            });
        }
    }

    private static HttpHeaders keptHeaders(HttpHeaders first, int length) {
        HttpHeaders kept = new HttpHeaders();
        for (String name : new String[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL, HttpHeaders.LAST_MODIFIED,
                HttpHeaders.ETAG}) {
            String value = first.getFirst(name);
            if (value != null) {
                kept.set(name, value);
            }
        }
        kept.setContentLength(length);
        kept.set("X-Content-Type-Options", "nosniff");
        return HttpHeaders.readOnlyHttpHeaders(kept);
    }
}
