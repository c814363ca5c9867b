package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching: one thread decodes every text being generated, one token each per forward pass.
 * A new text joins between two steps (its prompt is read alone, filling its key/value cache) and a
 * finished or cancelled one leaves, so 16 texts at once cost about one batched step per token, not 16.
 * Each text's {@link Listener} hears its tokens as they are chosen, on the loop's one emitting thread, which
 * tells a step's tokens while the next steps are decoded: whoever asked for a text needs no thread of its own
 * while it is written, and reporting tokens (their JSON, their streams) does not hold up the forward passes.
 *
 * <p>Each text samples from its own seeded random source, and a prompt is always read alone, so a text
 * comes out the same whether it was decoded alone or batched with others. What a step does to the texts is
 * {@link DecodingStep}; this class is the threads around it: who joins, who leaves, who is told what.
 */
public final class DecodingLoop implements AutoCloseable {

    /** What to generate: prompt tokens (at least one), how many tokens, how to sample, and the seed. */
    public record Request(int[] prompt, int maxTokens, Sampler.Settings sampling, long seed, boolean inspect) {
    }

    /** What a {@link Queued} reader receives: tokens, then an end. */
    public sealed interface Event permits Token, End {
    }

    /**
     * The token chosen at {@code index}, the logits it was drawn from, what the model computed, and when
     * it was chosen (System.nanoTime), so time to first token is measured where the token is made.
     */
    public record Token(int index, int id, float[] logits, GptModel.Inspection inspection, long chosenAt)
            implements Event {
    }

    /** The last event: null failure means the text is complete (or was cancelled). */
    public record End(RuntimeException failure) implements Event {
    }

    /**
     * Hears one text, on the loop's emitting thread: its tokens in order, then its end exactly once. Every
     * text's tokens are told on that one thread, so a listener does only what each token needs (report and
     * emit it).
     */
    public interface Listener {

        /** A token was chosen. Throwing stops this text (only this one); {@link #end} then gets what was thrown. */
        void token(Token token);

        /**
         * The text ended: null when it is complete or was {@link Stream#cancel cancelled}; what {@link #token}
         * threw; a failed step's exception; or a {@link CancellationException} when the loop closed under it.
         */
        void end(RuntimeException failure);
    }

    /** One text being generated. */
    public static final class Stream {
        // the loop's thread and its DecodingStep read and write these; the listener fields only the emitting thread
        final Request request;
        private final Listener listener;
        final KeyValueCache cache;
        final Random random;
        final List<Integer> text = new ArrayList<>();           // prompt + generated so far
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean cancelled;
        int generated;
        int pending = -1;                                          // sampled, not yet read into the cache

        private Stream(Request request, Listener listener, KeyValueCache cache) {
            this.request = request;
            this.listener = listener;
            this.cache = cache;
            this.random = new Random(request.seed());
            Arrays.stream(request.prompt()).forEach(text::add);
        }

        /** Stops the text before its next token. */
        public void cancel() {
            cancelled = true;
        }

        /** Tells the listener of a token (on the emitting thread); a listener that throws ends its text. */
        private void tell(Token token) {
            if (ended.get()) {
                return;
            }
            try {
                listener.token(token);
            } catch (RuntimeException e) {
                end(e);          // removed from the batch at the next step
            }
        }

        private void end(RuntimeException failure) {
            if (ended.compareAndSet(false, true)) {
                try {
                    listener.end(failure);
                } catch (RuntimeException e) {
                    log.warn("A text's listener failed at its end", e);
                }
            }
        }
    }

    /** A listener that keeps a text's events for one thread that reads them in turn (tests, benchmarks). */
    public static final class Queued implements Listener {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void token(Token token) {
            events.add(token);
        }

        @Override
        public void end(RuntimeException failure) {
            events.add(new End(failure));
        }

        /** Blocks until the next event. */
        public Event next() throws InterruptedException {
            return events.take();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DecodingLoop.class);
    private static final int MAX_BATCH = 64;
    /** How long an idle loop woken by a text waits for the next of others (see {@link #gather}): a few steps' time. */
    static final Duration GATHER = Duration.ofMillis(20);
    static final Duration GATHER_AT_MOST = Duration.ofMillis(250);
    /** Steps whose tokens may wait to be told while decoding goes on (each at most {@link #MAX_BATCH} tokens). */
    private static final int STEPS_AHEAD = 4;

    private final GptModel model;
    private final DecodingStep decoding;
    private final BlockingQueue<Stream> arriving = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ExecutorService emitting = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "text-emitting");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore untold = new Semaphore(STEPS_AHEAD);
    private volatile boolean open = true;

    public DecodingLoop(GptModel model) {
        this.model = model;
        this.decoding = new DecodingStep(model);
        this.thread = new Thread(this::run, "text-decoding");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a text to join the batch at the next step; {@code listener} hears it from then on.
     *
     * @throws IllegalArgumentException if the prompt is empty
     */
    public Stream submit(Request request, Listener listener) {
        if (request.prompt().length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        Stream stream = new Stream(request, listener, new KeyValueCache(model.config()));
        arriving.add(stream);
        if (!open) {
            List<Stream> late = new ArrayList<>();
            arriving.drainTo(late);
            late.forEach(l -> l.end(new CancellationException("the decoding loop is closed")));
        }
        return stream;
    }

    /** Queues a text read with {@link Queued#next()}. */
    public Queued submit(Request request) {
        Queued queued = new Queued();
        submit(request, queued);
        return queued;
    }

    private void run() {
        List<Stream> active = new ArrayList<>();
        try {
            while (open) {
                try {
                    if (active.isEmpty()) {
                        active.add(arriving.take());
                        gather(active);
                    }
                    arriving.drainTo(active, Math.max(0, MAX_BATCH - active.size()));
                    step(active);
                } catch (RuntimeException e) {
                    log.warn("Decoding step failed; ending its {} texts", active.size(), e);
                    active.forEach(s -> endLater(s, e));
                    active.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            decoding.close();
            CancellationException closed = new CancellationException("the decoding loop closed");
            endAll(active, closed);
            endAll(arriving, closed);
        }
    }

    /**
     * An idle loop woken by one text waits until no other has arrived for {@link #GATHER} (at most
     * {@link #GATHER_AT_MOST} in all): 16 people pressing "write" at once reach us milliseconds apart (more on a
     * busy machine), and gathered they start and finish together in full batches instead of each one's first and
     * last tokens being decoded in small ones. A lone text waits {@link #GATHER} once.
     */
    private void gather(List<Stream> active) throws InterruptedException {
        long latest = System.nanoTime() + GATHER_AT_MOST.toNanos();
        while (active.size() < MAX_BATCH) {
            long left = Math.min(GATHER.toNanos(), latest - System.nanoTime());
            Stream next = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            active.add(next);
        }
    }

    private void endAll(Collection<Stream> streams, RuntimeException failure) {
        List<Stream> ending = new ArrayList<>(streams);
        streams.clear();
        ending.forEach(s -> endLater(s, failure));
    }

    /** Ends a text after the tokens already being told (the emitting thread runs tasks in order). */
    private void endLater(Stream s, RuntimeException failure) {
        try {
            emitting.execute(() -> s.end(failure));
        } catch (RejectedExecutionException closed) {
            s.end(failure);
        }
    }

    /**
     * Hands a step's tokens to the emitting thread, first waiting while {@link #STEPS_AHEAD} earlier steps are
     * still untold: steps are told while the next ones are decoded, a busy machine's late wake-up of the emitting
     * thread does not stall decoding, and the tokens waiting to be told stay bounded.
     */
    private void tell(List<Stream> streams, List<Token> tokens) throws InterruptedException {
        untold.acquire();
        emitting.execute(() -> {
            try {
                for (int i = 0; i < streams.size(); i++) {
                    streams.get(i).tell(tokens.get(i));   // each text's listener failures are its own
                }
            } finally {
                untold.release();
            }
        });
    }

    /** Ends the texts that are done, then one {@link DecodingStep} for the rest, whose tokens are told. */
    private void step(List<Stream> active) throws InterruptedException {
        active.removeIf(s -> {
            boolean done = s.ended.get() || s.cancelled || s.generated >= s.request.maxTokens();
            if (done) {
                endLater(s, null);
            }
            return done;
        });
        DecodingStep.Chosen chosen = decoding.run(active);
        tell(chosen.streams(), chosen.tokens());
    }

    /**
     * Batched forward passes and the tokens they decoded, counted since the loop started. Two snapshots
     * subtracted ({@link #since}) give one period's mean batch.
     */
    public record Batching(long steps, long tokens) {

        /** What happened between {@code earlier} and this snapshot. */
        public Batching since(Batching earlier) {
            return new Batching(steps - earlier.steps, tokens - earlier.tokens);
        }

        /** Tokens per batched forward pass: 1 when texts were written one at a time, 0 before any pass. */
        public double meanBatch() {
            return steps == 0 ? 0 : (double) tokens / steps;
        }
    }

    /** The counts so far (read racily: a step in flight may be half counted). */
    public Batching batching() {
        return decoding.batching();
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
        try {
            thread.join(5_000); // the model must not close under a step in flight
            emitting.shutdown();  // after the loop's last ends were handed to it
            emitting.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
