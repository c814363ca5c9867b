package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.engine.TensorFlowExecutor;
import dev.deepscope.errors.ServerBusyException;
import dev.deepscope.system.DeepScopeProperties;
import dev.deepscope.system.TrainingProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The one admission to TensorFlow, for runs and for requests that compute ({@link OnTensorFlow}) alike: a
 * try-acquire on the executors' fixed slots, within the caller's share, or 429 at once — never a queue.
 *
 * <p>No single client holds every slot: what each address and each session holds of an executor's slots is kept
 * within {@code deepscope.clients.slots} (classification) and {@code deepscope.clients.training-slots}
 * (training). Both shares are smaller than their executor's threads, so however one client floods (many
 * connections, no cookie, many sessions), others always find a free slot and a free thread.
 *
 * <p>A share is taken before the executor's slots and given back when each slot is released (after the work
 * on it ended, {@link TensorFlowExecutor.Slot#whenReleased}), not when a client stops waiting. Only holders
 * with something held are kept, so the map's size is bounded by the slots. Slots asked for together (a race of
 * gradient descent against SGD) are taken all or none: on any refusal every slot taken is given back.
 */
@Component
public class Admission {

    private record Holder(TensorFlowExecutor pool, String key) {
    }

    private final TensorFlowExecutor executor;
    private final TensorFlowExecutor trainingExecutor;
    private final int slots;
    private final int trainingSlots;
    private final Duration retryAfter;
    private final Counter refusedOwnShare;
    private final Counter refusedSlots;
    private final Map<Holder, Integer> held = new HashMap<>();

    Admission(TensorFlowExecutor executor, @Qualifier("trainingExecutor") TensorFlowExecutor trainingExecutor,
              ShareProperties clients, DeepScopeProperties properties, TrainingProperties training,
              MeterRegistry registry) {
        int threads = properties.runs().slots();
        if (clients.slots() < 1 || clients.slots() >= threads) {
            throw new IllegalStateException("deepscope.clients.slots must be 1.." + (threads - 1)
                    + " (fewer than deepscope.runs.slots, so one client never holds them all), not "
                    + clients.slots());
        }
        if (clients.trainingSlots() < 1 || clients.trainingSlots() >= training.slots()) {
            throw new IllegalStateException("deepscope.clients.training-slots must be 1.." + (training.slots() - 1)
                    + " (fewer than deepscope.training.slots), not " + clients.trainingSlots());
        }
        this.executor = executor;
        this.trainingExecutor = trainingExecutor;
        this.slots = clients.slots();
        this.trainingSlots = clients.trainingSlots();
        this.retryAfter = properties.runs().retryAfter();
        this.refusedOwnShare = Counter.builder("deepscope.runs.refused").tag("reason", ServerBusyException.OWN_SHARE).register(registry);
        this.refusedSlots = Counter.builder("deepscope.runs.refused").tag("reason", "slots").register(registry);
    }

    /** What a 429 from admission tells the client to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The most slots of {@code pool} one client may hold at once. */
    public int share(TensorFlowExecutor pool) {
        return pool == trainingExecutor ? trainingSlots : slots;
    }

    /** The executor for quick work (classification, sampling, quick runs). */
    public TensorFlowExecutor quick() {
        return executor;
    }

    /** The executor training runs hold their slots on, so people training never take the quick ones. */
    public TensorFlowExecutor training() {
        return trainingExecutor;
    }

    /** One slot of the quick executor for {@code caller}, or a {@link ServerBusyException} (429) with nothing taken. */
    public TensorFlowExecutor.Slot admit(Caller caller) {
        return admit(caller, List.of(executor), null).get(0);
    }

    /**
     * One slot of each pool listed (a pool listed twice gives two), in the same order, all or none.
     *
     * @param busy what to tell the caller when a pool is full, or null for the plain "server is busy"
     * @throws ServerBusyException ({@link ServerBusyException#OWN_SHARE}) if the caller's address or session would hold more than its
     *                             share, or ({@link ServerBusyException#SERVER_BUSY}) if a pool has too few free
     *                             slots; nothing is taken
     */
    public List<TensorFlowExecutor.Slot> admit(Caller caller, List<TensorFlowExecutor> pools, String busy) {
        Map<TensorFlowExecutor, Integer> needed = new IdentityHashMap<>();
        pools.forEach(pool -> needed.merge(pool, 1, Integer::sum));
        Map<TensorFlowExecutor, Deque<TensorFlowExecutor.Slot>> taken = new IdentityHashMap<>();
        for (Map.Entry<TensorFlowExecutor, Integer> need : needed.entrySet()) {
            Optional<List<TensorFlowExecutor.Slot>> slots;
            try {
                slots = reserve(caller, need.getKey(), need.getValue());
            } catch (ServerBusyException ownShare) {
                giveBack(taken);
                throw ownShare;
            }
            if (slots.isEmpty()) {
                giveBack(taken);
                refusedSlots.increment();
                throw busy == null ? new ServerBusyException(retryAfter) : new ServerBusyException(retryAfter, busy);
            }
            taken.put(need.getKey(), new ArrayDeque<>(slots.get()));
        }
        List<TensorFlowExecutor.Slot> inOrder = new ArrayList<>();
        pools.forEach(pool -> inOrder.add(taken.get(pool).pop()));
        return inOrder;
    }

    private static void giveBack(Map<TensorFlowExecutor, Deque<TensorFlowExecutor.Slot>> taken) {
        taken.values().forEach(held -> held.forEach(TensorFlowExecutor.Slot::release));
    }

    /**
     * {@code count} slots of {@code pool} for {@code caller}, each counted against the caller's address and
     * session until it is released; empty when the pool itself is full (nothing taken).
     *
     * @throws ServerBusyException ({@link ServerBusyException#OWN_SHARE}) if the caller's address or session would hold more than
     *                             its share; nothing is taken
     */
    private Optional<List<TensorFlowExecutor.Slot>> reserve(Caller caller, TensorFlowExecutor pool, int count) {
        Holder address = new Holder(pool, "address:" + caller.address());
        Holder session = new Holder(pool, "session:" + caller.session());
        int share = share(pool);
        synchronized (held) {
            int byAddress = held.getOrDefault(address, 0);
            int bySession = held.getOrDefault(session, 0);
            if (byAddress + count > share || bySession + count > share) {
                refusedOwnShare.increment();
                throw new ServerBusyException(retryAfter, ownShare(pool, share,
                        byAddress + count > share ? "address" : "session", count), ServerBusyException.OWN_SHARE);
            }
            held.merge(address, count, Integer::sum);
            held.merge(session, count, Integer::sum);
        }
        Optional<List<TensorFlowExecutor.Slot>> taken = pool.tryReserve(count);
        if (taken.isEmpty()) {
            giveBack(address, session, count);
            return taken;
        }
        taken.get().forEach(slot -> slot.whenReleased(() -> giveBack(address, session, 1)));
        return taken;
    }

    private void giveBack(Holder address, Holder session, int count) {
        synchronized (held) {
            held.computeIfPresent(address, (k, n) -> n > count ? n - count : null);
            held.computeIfPresent(session, (k, n) -> n > count ? n - count : null);
        }
    }

    private String ownShare(TensorFlowExecutor pool, int share, String whose, int count) {
        String what = pool == trainingExecutor ? "training runs" : "computations (runs and requests)";
        return "Your " + whose + " already has as many " + what + " in flight as one client may (" + share
                + (count > 1 ? ", and these " + count + " would make more" : "")
                + "); the rest are kept for others. Try again in "
                + ServerBusyException.retryAfterSeconds(retryAfter) + " s, when one of yours has finished.";
    }

    /** Slots the client at {@code address} ({@link Caller#address()}) holds of {@code pool} now. */
    public int heldByAddress(String address, TensorFlowExecutor pool) {
        synchronized (held) {
            return held.getOrDefault(new Holder(pool, "address:" + address), 0);
        }
    }
}
