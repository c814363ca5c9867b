package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching: one thread decodes every text being generated, one token each per forward pass.
 * A new text joins between two steps (its prompt is read alone, filling its key/value cache) and a
 * finished or cancelled one leaves, so 16 texts at once cost about one batched step per token, not 16.
 *
 * <p>Each text samples from its own seeded random source, and a prompt is always read alone, so a text
 * comes out the same whether it was decoded alone or batched with others.
 */
public final class DecodingLoop implements AutoCloseable {

    /** What to generate: prompt tokens (at least one), how many tokens, how to sample, and the seed. */
    public record Request(int[] prompt, int maxTokens, Sampler.Settings sampling, long seed, boolean inspect) {
    }

    /** What a text's consumer receives: tokens, then an end. */
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

    /** One text being generated; its events arrive in order on a queue. */
    public static final class Stream {
        private final Request request;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final KeyValueCache cache;
        private final Random random;
        private final List<Integer> text = new ArrayList<>();   // prompt + generated so far
        private volatile boolean cancelled;
        private int generated;
        private int pending = -1;                                  // sampled, not yet read into the cache

        private Stream(Request request, KeyValueCache cache) {
            this.request = request;
            this.cache = cache;
            this.random = new Random(request.seed());
            Arrays.stream(request.prompt()).forEach(text::add);
        }

        /** Blocks until the next event. */
        public Event next() throws InterruptedException {
            return events.take();
        }

        /** Stops the text before its next token. */
        public void cancel() {
            cancelled = true;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DecodingLoop.class);
    private static final int MAX_BATCH = 64;

    private final GptModel model;
    private final BlockingQueue<Stream> arriving = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean open = true;
    private final AtomicLong batchedSteps = new AtomicLong();
    private final AtomicLong batchedTokens = new AtomicLong();

    public DecodingLoop(GptModel model) {
        this.model = model;
        this.thread = new Thread(this::run, "text-decoding");
        thread.setDaemon(true);
        thread.start();
    }

    public Stream submit(Request request) {
        if (request.prompt().length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        Stream stream = new Stream(request, new KeyValueCache(model.config()));
        arriving.add(stream);
        return stream;
    }

    private void run() {
        List<Stream> active = new ArrayList<>();
        while (open) {
            try {
                if (active.isEmpty()) {
                    active.add(arriving.take());
                }
                arriving.drainTo(active, Math.max(0, MAX_BATCH - active.size()));
                step(active);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Decoding step failed; ending its {} texts", active.size(), e);
                active.forEach(s -> s.events.add(new End(e)));
                active.clear();
            }
        }
    }

    /** Reads new prompts alone, then the pending token of every other text in one batched pass. */
    private void step(List<Stream> active) {
        active.removeIf(s -> {
            boolean done = s.cancelled || s.generated >= s.request.maxTokens();
            if (done) {
                s.events.add(new End(null));
            }
            return done;
        });
        List<Stream> decoding = new ArrayList<>();
        for (Stream s : active) {
            if (s.pending < 0) {
                int[] prompt = s.request.prompt();
                // a prompt longer than the context is cut to its last T − 1 tokens, leaving room to write
                int keep = Math.min(prompt.length, model.config().context() - 1);
                GptModel.Output out = model.read(List.of(s.cache),
                        new int[][] {Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length)},
                        s.request.inspect()).get(0);
                choose(s, out.logits()[keep - 1], out.inspection());
            } else {
                if (s.cache.remaining() == 0) {
                    rewind(s);
                }
                decoding.add(s);
            }
        }
        if (decoding.isEmpty()) {
            return;
        }
        int[][] tokens = new int[decoding.size()][];
        boolean inspect = false;
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = new int[] {decoding.get(i).pending};
            inspect |= decoding.get(i).request.inspect();
        }
        List<GptModel.Output> outputs = model.read(decoding.stream().map(s -> s.cache).toList(), tokens, inspect);
        batchedSteps.incrementAndGet();
        batchedTokens.addAndGet(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            Stream s = decoding.get(i);
            choose(s, outputs.get(i).logits()[0], s.request.inspect() ? outputs.get(i).inspection() : null);
        }
    }

    /** The context is full: forget it and re-read the last T/2 tokens, so writing can go on. */
    private void rewind(Stream s) {
        int keep = model.config().context() / 2;
        int end = s.text.size() - 1;                    // the pending token is read by the next step
        int[] tail = s.text.subList(end - keep, end).stream().mapToInt(Integer::intValue).toArray();
        s.cache.clear();
        model.read(List.of(s.cache), new int[][] {tail}, false);
    }

    private void choose(Stream s, float[] logits, GptModel.Inspection inspection) {
        int id = Sampler.sample(logits, s.request.sampling(), s.random);
        s.pending = id;
        s.text.add(id);
        s.events.add(new Token(s.generated, id, logits, inspection, System.nanoTime()));
        s.generated++;
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
        return new Batching(batchedSteps.get(), batchedTokens.get());
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
        try {
            thread.join(5_000); // the model must not close under a step in flight
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
