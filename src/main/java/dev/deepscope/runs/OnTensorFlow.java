package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.errors.ServerBusyException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one way a request computes outside runs: on a TensorFlow thread, never the event loop, if the caller's
 * address and session are within their share and an admission slot is free ({@link Admission}, the same
 * admission runs pass) — otherwise 429 with Retry-After at once ({@code reason} {@code own-share} or {@code server-busy}). A client that leaves
 * before its work starts gets no work done; its share is given back when the thread is free again.
 */
@Component
public class OnTensorFlow {

    private final Admission admission;

    OnTensorFlow(Admission admission) {
        this.admission = admission;
    }

    /** {@code work} on a TensorFlow thread for {@code caller}, or a {@link ServerBusyException} (429). */
    public <T> Mono<T> call(Caller caller, Callable<T> work) {
        return Mono.defer(() -> {
            TensorFlowExecutor.Slot slot = admission.admit(caller);
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
