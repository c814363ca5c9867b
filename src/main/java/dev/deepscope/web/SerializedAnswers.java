package dev.deepscope.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET answers that are the same for everyone and cost a lot to write (a digit model's 200,000 weights, the
 * embedding projection): serialized once into JSON bytes and kept, up to {@link #MAX_BYTES} in all (least used
 * go first), and sent with an ETag, so a browser that has them gets 304 Not Modified without a body.
 */
@Component
public class SerializedAnswers {

    /** Every model's weights and the projection together take about 10 MB; room for them, not more. */
    static final long MAX_BYTES = 24L << 20;

    private record Answer(byte[] json, String etag) {
    }

    private final JsonMapper mapper;
    private final Cache<String, Answer> answers = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((String key, Answer a) -> 100 + 2 * key.length() + a.json().length)
            .build();

    SerializedAnswers(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The JSON of {@code value} (computed once for {@code key}, which must name everything the answer depends on),
     * or 304 if the request already holds it ({@code If-None-Match}).
     */
    public ResponseEntity<byte[]> json(String key, Supplier<?> value, ServerWebExchange exchange) {
        Answer answer = answers.get(key, k -> {
            byte[] json = mapper.writeValueAsBytes(value.get());
            CRC32C crc = new CRC32C();
            crc.update(json);
            return new Answer(json, "\"" + Long.toHexString(crc.getValue()) + "-" + json.length + "\"");
        });
        boolean held = exchange.getRequest().getHeaders().getIfNoneMatch().contains(answer.etag());
        var response = ResponseEntity.status(held ? HttpStatus.NOT_MODIFIED : HttpStatus.OK).eTag(answer.etag())
                .cacheControl(CacheControl.noCache());
        return held ? response.build() : response.contentType(MediaType.APPLICATION_JSON).body(answer.json());
    }
}
