package dev.deepscope.web;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.errors.ServerBusyException;
import dev.deepscope.system.DeepScopeProperties;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one way a request computes outside runs: on a TensorFlow thread, never the event loop, if the caller's
 * address and session are within their share ({@link ClientShares}) and an admission slot is free — otherwise
 * 429 with Retry-After at once ({@code reason} {@code own-share} or {@code server-busy}). A client that leaves
 * before its work starts gets no work done; its share is given back when the thread is free again.
 */
@Component
public class OnTensorFlow {

    private final TensorFlowExecutor executor;
    private final ClientShares shares;
    private final Duration retryAfter;

    OnTensorFlow(TensorFlowExecutor executor, ClientShares shares, DeepScopeProperties properties) {
        this.executor = executor;
        this.shares = shares;
        this.retryAfter = properties.runs().retryAfter();
    }

    /** {@code work} on a TensorFlow thread for {@code caller}, or a {@link ServerBusyException} (429). */
    public <T> Mono<T> call(Caller caller, Callable<T> work) {
        return Mono.defer(() -> {
            TensorFlowExecutor.Slot slot = shares.reserve(caller, executor, 1)
                    .orElseThrow(() -> new ServerBusyException(retryAfter)).get(0);
            return Mono.fromFuture(slot.submit(work), false);
        });
    }

    /**
     * For work long enough that a client may leave while it runs (sampling many images): the work is
     * handed a check, true once the client has gone, and should stop soon after it turns true.
     */
    public <T> Mono<T> callWhileWanted(Caller caller, Function<BooleanSupplier, T> work) {
        return Mono.defer(() -> {
            AtomicBoolean gone = new AtomicBoolean();
            return call(caller, () -> work.apply(gone::get)).doOnCancel(() -> gone.set(true));
        });
    }
}
