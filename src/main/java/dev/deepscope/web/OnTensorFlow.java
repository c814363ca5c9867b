package dev.deepscope.web;

import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.system.DeepScopeProperties;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one way a request computes with TensorFlow: on a TensorFlow thread, never the event loop, if an
 * admission slot is free — otherwise 429 with Retry-After at once. A client that leaves before its work
 * starts gets no work done.
 */
@Component
public class OnTensorFlow {

    private final TensorFlowExecutor executor;
    private final Duration retryAfter;

    OnTensorFlow(TensorFlowExecutor executor, DeepScopeProperties properties) {
        this.executor = executor;
        this.retryAfter = properties.runs().retryAfter();
    }

    public <T> Mono<T> call(Callable<T> work) {
        return Mono.defer(() -> Mono.fromFuture(executor.trySubmit(work)
                .orElseThrow(() -> new ServerBusyException(retryAfter)), false));
    }

    /**
     * For work long enough that a client may leave while it runs (sampling many images): the work is
     * handed a check, true once the client has gone, and should stop soon after it turns true.
     */
    public <T> Mono<T> callWhileWanted(Function<BooleanSupplier, T> work) {
        return Mono.defer(() -> {
            AtomicBoolean gone = new AtomicBoolean();
            return call(() -> work.apply(gone::get)).doOnCancel(() -> gone.set(true));
        });
    }
}
