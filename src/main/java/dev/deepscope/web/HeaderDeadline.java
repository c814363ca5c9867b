package dev.deepscope.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request has begun to arrive but whose request line and headers are not complete
 * within a deadline (a client that sends a few bytes and then dribbles or stops would otherwise hold the
 * connection for as long as it likes; one that sends nothing is cut by the idle timeout). Two handlers share
 * one connection's state: {@link #bytes()} before the HTTP codec starts the clock at the first byte of a
 * request, {@link #requests()} after it stops the clock when the codec has read the whole head, and starts
 * waiting for the next request once the response has been written. Runs on the connection's event loop.
 */
final class HeaderDeadline {

    private final long nanos;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    HeaderDeadline(Duration limit) {
        this.nanos = limit.toNanos();
    }

    /** Goes before the HTTP codec: sees the raw bytes. */
    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!inRequest && timer == null) {
                    timer = ctx.executor().schedule(() -> {
                        ctx.close();
                    }, nanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                stop();
                ctx.fireChannelInactive();
            }
        };
    }

    /** Goes after the HTTP codec: sees each request's head as one message, and the responses going out. */
    ChannelDuplexHandler requests() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    stop();
                    inRequest = true;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent) {
                    inRequest = false;
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
