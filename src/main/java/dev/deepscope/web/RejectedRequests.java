package dev.deepscope.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a problem+json body to the error responses made below the application, which have none: Netty's
 * decoder refusing a request line that is too long (414), headers that are too large (431) or malformed (400),
 * and the 400 the web layer answers for a path it cannot turn into a URI (a bad {@code %}-escape). It sits in
 * each connection's pipeline just after the HTTP codec and rewrites, on the way out, any response of those
 * statuses that has no body and no Content-Type; everything the application writes has its own body and passes
 * untouched. One per connection (it remembers whether the request was a HEAD, which gets no body).
 */
final class RejectedRequests extends ChannelDuplexHandler {

    /** The statuses rewritten, with what their problem says and the part of the request it names. */
    private record Rejection(HttpStatus status, String title, String detail, String field) {
    }

    private static final List<Rejection> REJECTIONS = List.of(
            new Rejection(HttpStatus.BAD_REQUEST, "Bad request", "The request line or its headers could not be read "
                    + "(for example a malformed %-escape in the path, or a malformed header).", "request"),
            new Rejection(HttpStatus.URI_TOO_LONG, "URI too long",
                    "The request line is longer than this server accepts.", "uri"),
            new Rejection(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large",
                    "The request headers are larger than this server accepts.", "headers"));

    /** Each rewritten status's problem+json body, encoded once for all connections. */
    static Map<Integer, byte[]> bodies(JsonMapper json) {
        return REJECTIONS.stream().collect(Collectors.toMap(r -> r.status().value(), r -> json.writeValueAsBytes(
                ProblemResponses.problem(r.status(), r.title(), r.detail(), r.field()))));
    }

    private final Map<Integer, byte[]> bodies;
    private boolean head;
    private byte[] pendingBody;

    RejectedRequests(Map<Integer, byte[]> bodies) {
        this.bodies = bodies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            head = HttpMethod.HEAD.equals(request.method());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && pendingBody == null) {
            byte[] body = bodyFor(response);
            if (body != null) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                        .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                if (msg instanceof FullHttpResponse full) {
                    FullHttpResponse withBody = new DefaultFullHttpResponse(full.protocolVersion(), full.status(),
                            Unpooled.wrappedBuffer(body), full.headers(), full.trailingHeaders());
                    full.release();
                    ctx.write(withBody, promise);
                    return;
                }
                pendingBody = body;
            }
        } else if (msg instanceof LastHttpContent last && pendingBody != null) {
            // the body goes between the status line and the end of the response
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(pendingBody)));
            pendingBody = null;
        }
        ctx.write(msg, promise);
    }

    /** The problem body this response lacks, or null if it is not one to rewrite. */
    private byte[] bodyFor(HttpResponse response) {
        byte[] body = bodies.get(response.status().code());
        boolean empty = !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
                && "0".equals(response.headers().get(HttpHeaderNames.CONTENT_LENGTH))
                && !(response instanceof FullHttpResponse full && full.content().isReadable());
        return body != null && empty && !head ? body : null;
    }
}
