package dev.deepscope.text;

import dev.deepscope.engine.text.GptModel;
import dev.deepscope.engine.text.KeyValueBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one step of the {@link DecodingLoop} does to its texts, apart from how the loop runs and tells: a new
 * text's prompt is read alone (filling its key/value cache), then the pending token of every other text in one
 * batched forward pass, and each text's next token is sampled from its own seeded random source. The batched
 * pass's past keys and values stay in a {@link KeyValueBatch} from step to step, copied anew only when the
 * batch changes. Used by the loop's thread only.
 */
final class DecodingStep implements AutoCloseable {

    /** The texts that got a token in one step, in order, and those tokens. */
    record Chosen(List<DecodingLoop.Stream> streams, List<DecodingLoop.Token> tokens) {
    }

    private final GptModel model;
    private final KeyValueBatch batch;
    private final AtomicLong batchedSteps = new AtomicLong();
    private final AtomicLong batchedTokens = new AtomicLong();

    DecodingStep(GptModel model) {
        this.model = model;
        this.batch = new KeyValueBatch(model.config());
    }

    /** Reads new prompts alone, then the pending token of every other text in one batched pass. */
    Chosen run(List<DecodingLoop.Stream> active) {
        List<DecodingLoop.Stream> chosen = new ArrayList<>();
        List<DecodingLoop.Token> tokensChosen = new ArrayList<>();
        List<DecodingLoop.Stream> decoding = new ArrayList<>();
        for (DecodingLoop.Stream s : active) {
            if (s.pending < 0) {
                int[] prompt = s.request.prompt();
                // a prompt longer than the context is cut to its last T − 1 tokens, leaving room to write
                int keep = Math.min(prompt.length, model.config().context() - 1);
                GptModel.Output out = model.read(List.of(s.cache),
                        new int[][] {Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length)},
                        s.request.inspect()).get(0);
                chosen.add(s);
                tokensChosen.add(choose(s, out.logits()[keep - 1], out.inspection()));
            } else {
                if (s.cache.remaining() == 0) {
                    rewind(s);
                }
                decoding.add(s);
            }
        }
        if (decoding.isEmpty()) {
            return new Chosen(chosen, tokensChosen);
        }
        int[][] tokens = new int[decoding.size()][];
        boolean inspect = false;
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = new int[] {decoding.get(i).pending};
            inspect |= decoding.get(i).request.inspect();
        }
        List<GptModel.Output> outputs = model.read(batch, decoding.stream().map(s -> s.cache).toList(), tokens, inspect);
        batchedSteps.incrementAndGet();
        batchedTokens.addAndGet(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            DecodingLoop.Stream s = decoding.get(i);
            chosen.add(s);
            tokensChosen.add(choose(s, outputs.get(i).logits()[0], s.request.inspect() ? outputs.get(i).inspection() : null));
        }
        return new Chosen(chosen, tokensChosen);
    }

    /** The context is full: forget it and re-read the last T/2 tokens, so writing can go on. */
    private void rewind(DecodingLoop.Stream s) {
        int keep = model.config().context() / 2;
        int end = s.text.size() - 1;                    // the pending token is read by the next step
        int[] tail = s.text.subList(end - keep, end).stream().mapToInt(Integer::intValue).toArray();
        s.cache.clear();
        model.read(List.of(s.cache), new int[][] {tail}, false);
    }

    /** Samples the text's next token, to be read at the next step and told to its listener. */
    private DecodingLoop.Token choose(DecodingLoop.Stream s, float[] logits, GptModel.Inspection inspection) {
        int id = Sampler.sample(logits, s.request.sampling(), s.random);
        s.pending = id;
        s.text.add(id);
        return new DecodingLoop.Token(s.generated++, id, logits, inspection, System.nanoTime());
    }

    /** The batched passes and their tokens so far (read racily: a step in flight may be half counted). */
    DecodingLoop.Batching batching() {
        return new DecodingLoop.Batching(batchedSteps.get(), batchedTokens.get());
    }

    @Override
    public void close() {
        batch.close();
    }
}
