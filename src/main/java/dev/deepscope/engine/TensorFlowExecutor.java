package dev.deepscope.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for work that calls into TensorFlow (native calls block, so never the event loop), behind a fixed
 * number of admission slots. A slot is taken with a try-acquire that refuses at once when all are taken, and
 * each slot has a thread of its own: admitted work starts at once, never queued behind long holders (a
 * training run holds its thread for minutes; the cores are shared by the OS and TensorFlow's pools). A full
 * server says so immediately, an admitted client is never left waiting.
 */
public final class TensorFlowExecutor implements AutoCloseable {

    private final Semaphore slots;
    private final int slotCount;
    private final ThreadPoolExecutor workers;

    /** {@code slots} admission slots, each with its own thread (made when first needed). */
    public TensorFlowExecutor(int slots) {
        this.slotCount = slots;
        this.slots = new Semaphore(slots);
        AtomicInteger n = new AtomicInteger();
        // a thread per slot: admission bounds the work in flight, so the hand-off queue never holds a task
        // for longer than a thread takes to pick it up (a released slot's thread may still be finishing)
        this.workers = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(slots), r -> {
                    Thread t = new Thread(r, "tensorflow-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A taken admission slot: submit one piece of work with it, or release it. */
    public final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();
        private final List<Runnable> onRelease = new ArrayList<>(1);

        private Slot() {
        }

        /** Runs the work on a TensorFlow thread; the slot is released when it ends. */
        public <T> CompletableFuture<T> submit(Callable<T> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            try {
                workers.execute(() -> {
                    try {
                        if (!result.isDone()) { // a caller that gave up before we started needs no work
                            result.complete(work.call());
                        }
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    } finally {
                        release();
                    }
                });
            } catch (RuntimeException rejected) {
                release();
                throw rejected;
            }
            return result;
        }

        /**
         * Runs work that hands the rest of itself to another thread (a generate run's text is written by the
         * shared decoding loop): the TensorFlow thread is free as soon as {@code work} returns, the slot is
         * held until the stage it returned completes (released at once if it threw), so what a client holds
         * is still counted while its work goes on elsewhere.
         */
        public <T> CompletableFuture<T> submitHeld(Callable<? extends CompletionStage<T>> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            result.whenComplete((value, failure) -> release());
            try {
                workers.execute(() -> {
                    try {
                        if (!result.isDone()) {
                            work.call().whenComplete((value, failure) -> {
                                if (failure != null) {
                                    result.completeExceptionally(failure);
                                } else {
                                    result.complete(value);
                                }
                            });
                        }
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException rejected) {
                release();
                throw rejected;
            }
            return result;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                slots.release();
                List<Runnable> actions;
                synchronized (onRelease) {
                    actions = List.copyOf(onRelease);
                }
                actions.forEach(Runnable::run);
            }
        }

        /**
         * Runs {@code action} once when this slot is released (at once if it already is): whoever counts
         * what a caller holds gives it back exactly when the thread is free again, not when a waiting
         * client gave up while the work still runs.
         */
        public Slot whenReleased(Runnable action) {
            synchronized (onRelease) {
                if (!released.get()) {
                    onRelease.add(action);
                    return this;
                }
            }
            action.run();
            return this;
        }
    }

    /** A slot if one is free; empty means "busy, try again later". */
    public Optional<Slot> tryReserve() {
        return tryReserve(1).map(taken -> taken.get(0));
    }

    /**
     * {@code count} slots at once or none: runs that only make sense together (a race of two) are admitted
     * as one, so a full server never starts half of them. Empty means "busy, try again later".
     */
    public Optional<List<Slot>> tryReserve(int count) {
        if (count < 1 || !slots.tryAcquire(count)) {
            return Optional.empty();
        }
        List<Slot> taken = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            taken.add(new Slot());
        }
        return Optional.of(taken);
    }

    /** Reserves a slot and submits the work with it, or returns empty when busy. */
    public <T> Optional<CompletableFuture<T>> trySubmit(Callable<T> work) {
        return tryReserve().map(slot -> slot.submit(work));
    }

    public int slotsInUse() {
        return slotCount - slots.availablePermits();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
