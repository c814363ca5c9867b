package dev.deepscope.web;

import dev.deepscope.system.StreamsProperties;
import io.netty.channel.ChannelPipeline;
import java.util.Map;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happens to a connection before the application sees a request: requests Netty rejects still get
 * problem+json ({@link RejectedRequests}), and a request head that does not arrive in time is cut
 * ({@link HeaderDeadline}; idle connections are cut by {@code server.netty.idle-timeout}), and so is a request
 * body that stops arriving (Reactor Netty's read and request timeouts, {@code deepscope.streams.body-timeout}).
 */
@Configuration(proxyBeanMethods = false)
class NettyEdges {

    @Bean
    NettyServerCustomizer connectionEdges(JsonMapper json, StreamsProperties streams) {
        Map<Integer, byte[]> bodies = RejectedRequests.bodies(json);
        return server -> server.readTimeout(streams.bodyTimeout())
                .requestTimeout(streams.bodyTimeout().multipliedBy(4))
                .doOnChannelInit((observer, channel, remote) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) == null) {
                return;
            }
            HeaderDeadline deadline = new HeaderDeadline(streams.headerTimeout());
            pipeline.addBefore(NettyPipeline.HttpCodec, "deepscope.requestStart", deadline.bytes());
            pipeline.addAfter(NettyPipeline.HttpCodec, "deepscope.requestHead", deadline.requests());
            pipeline.addAfter("deepscope.requestHead", "deepscope.rejectedRequests", new RejectedRequests(bodies));
        });
    }
}
