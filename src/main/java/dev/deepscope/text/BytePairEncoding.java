package dev.deepscope.text;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our own byte-level byte-pair encoding. Tokens 0..255 are the bytes; each later token is a merge of two
 * earlier ones, learned by repeatedly joining the most frequent adjacent pair in the training text.
 * Because every text is bytes, any string (any Unicode, or nothing) encodes and decodes back exactly.
 *
 * <p>Like GPT-2, text is first cut into words (a leading space stays with its word) and merges never cross
 * a cut, so tokens are pieces of words, not of phrases.
 */
public final class BytePairEncoding {

    /** GPT-2's pre-tokenisation: contractions, letters, digits, other symbols, whitespace. */
    static final Pattern WORDS = Pattern.compile(
            "'(?:s|t|re|ve|m|ll|d)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final int BYTES = 256;
    /**
     * Bound of the word cache in bytes (its weight, {@link #weight}). Moby-Dick's ~20,000 distinct words take about
     * 2 MB; a flood of long unique words evicts the least used instead of growing the heap.
     */
    static final long CACHE_BYTES = 4L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int[][] merges;                 // merges[i] = {left, right} makes token 256 + i
    private final Map<Long, Integer> rank = new HashMap<>();
    private final byte[][] tokenBytes;
    /** Word → its tokens: most words repeat, and merging a word costs a pass per merge. */
    private final Cache<String, int[]> cache = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .weigher(BytePairEncoding::weight)
            .executor(Runnable::run) // evict on the caller's thread, so the bound holds when encode returns
            .build();

    public BytePairEncoding(int[][] merges) {
        this.merges = merges;
        tokenBytes = new byte[BYTES + merges.length][];
        for (int b = 0; b < BYTES; b++) {
            tokenBytes[b] = new byte[] {(byte) b};
        }
        for (int i = 0; i < merges.length; i++) {
            int left = merges[i][0];
            int right = merges[i][1];
            if (left >= BYTES + i || right >= BYTES + i) {
                throw new IllegalArgumentException("merge " + i + " uses a token not made yet");
            }
            rank.put(pair(left, right), i);
            byte[] joined = Arrays.copyOf(tokenBytes[left], tokenBytes[left].length + tokenBytes[right].length);
            System.arraycopy(tokenBytes[right], 0, joined, tokenBytes[left].length, tokenBytes[right].length);
            tokenBytes[BYTES + i] = joined;
        }
    }

    /** Learns merges from a text until the vocabulary has {@code vocabulary} tokens (ties: the smaller pair). */
    public static BytePairEncoding train(String text, int vocabulary) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String word : words(text)) {
            counts.merge(word, 1, Integer::sum);
        }
        List<int[]> symbols = new ArrayList<>();
        int[] frequency = new int[counts.size()];
        int w = 0;
        for (var entry : counts.entrySet()) {
            byte[] bytes = entry.getKey().getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ids[i] = bytes[i] & 0xff;
            }
            symbols.add(ids);
            frequency[w++] = entry.getValue();
        }
        int[][] merges = new int[vocabulary - BYTES][];
        long[] pairCounts = new long[vocabulary * vocabulary];
        for (int m = 0; m < merges.length; m++) {
            Arrays.fill(pairCounts, 0);
            for (int i = 0; i < symbols.size(); i++) {
                int[] s = symbols.get(i);
                for (int j = 0; j + 1 < s.length; j++) {
                    pairCounts[s[j] * vocabulary + s[j + 1]] += frequency[i];
                }
            }
            int best = 0;
            for (int p = 1; p < pairCounts.length; p++) {
                if (pairCounts[p] > pairCounts[best]) {
                    best = p;
                }
            }
            if (pairCounts[best] == 0) {
                return new BytePairEncoding(Arrays.copyOf(merges, m)); // nothing left to merge
            }
            int left = best / vocabulary;
            int right = best % vocabulary;
            merges[m] = new int[] {left, right};
            for (int i = 0; i < symbols.size(); i++) {
                symbols.set(i, apply(symbols.get(i), left, right, BYTES + m));
            }
        }
        return new BytePairEncoding(merges);
    }

    /** Writes {@code {"vocabulary": n, "merges": [[left, right], …]}}. */
    public void save(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "byte-level BPE, GPT-2 pre-tokenisation");
        json.put("vocabulary", vocabularySize());
        json.put("merges", merges);
        JSON.writeValue(file.toFile(), json);
    }

    public static BytePairEncoding read(InputStream in) {
        JsonNode merges = JSON.readTree(in).path("merges");
        int[][] pairs = new int[merges.size()][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new int[] {merges.get(i).get(0).asInt(), merges.get(i).get(1).asInt()};
        }
        return new BytePairEncoding(pairs);
    }

    public int vocabularySize() {
        return tokenBytes.length;
    }

    public int[] encode(String text) {
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        for (String word : words(text)) {
            int[] ids = cache.get(word, this::encodeWord);
            pieces.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : pieces) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** The exact text back; bytes that are not part of a whole UTF-8 character come out labelled, e.g. ⟨C3⟩. */
    public String decode(int[] ids) {
        return Utf8Text.label(bytes(ids));
    }

    public byte[] bytes(int[] ids) {
        int length = 0;
        for (int id : ids) {
            length += tokenBytes[id].length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int id : ids) {
            System.arraycopy(tokenBytes[id], 0, out, at, tokenBytes[id].length);
            at += tokenBytes[id].length;
        }
        return out;
    }

    /** One token alone, for display: its whole characters, and its other bytes labelled (e.g. {@code ⟨C3⟩}). */
    public String tokenLabel(int id) {
        return Utf8Text.label(tokenBytes[id]);
    }

    /** The bytes of one token (not a copy: do not change them). */
    byte[] tokenBytes(int id) {
        return tokenBytes[id];
    }

    /** A text's tokens, each with the characters it completes and its label (see {@link TextToken}). */
    public List<TextToken> tokens(int[] ids) {
        return TextToken.of(ids, this::tokenBytes);
    }

    /**
     * What a cached word costs the heap, roughly: its characters (2 bytes each at most), its token ids (4 bytes each)
     * and about 100 bytes of String, array and cache-entry headers.
     */
    static int weight(String word, int[] ids) {
        return 100 + 2 * word.length() + 4 * ids.length;
    }

    /** The cache's present weight in bytes (see {@link #CACHE_BYTES}). */
    long cacheWeight() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** Merges the lowest-ranked adjacent pair until none is left: the same order the merges were learned. */
    private int[] encodeWord(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        while (ids.length > 1) {
            int bestRank = Integer.MAX_VALUE;
            for (int j = 0; j + 1 < ids.length; j++) {
                Integer r = rank.get(pair(ids[j], ids[j + 1]));
                if (r != null && r < bestRank) {
                    bestRank = r;
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                break;
            }
            ids = apply(ids, merges[bestRank][0], merges[bestRank][1], BYTES + bestRank);
        }
        return ids;
    }

    private static int[] apply(int[] s, int left, int right, int merged) {
        int[] out = null;
        int n = 0;
        for (int j = 0; j < s.length; j++) {
            if (j + 1 < s.length && s[j] == left && s[j + 1] == right) {
                if (out == null) {
                    out = Arrays.copyOf(s, s.length);
                    n = j;
                }
                out[n++] = merged;
                j++;
            } else if (out != null) {
                out[n++] = s[j];
            }
        }
        return out == null ? s : Arrays.copyOf(out, n);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORDS.matcher(text);
        int end = 0;
        while (m.find()) {
            words.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            words.add(text.substring(end)); // never lose a character, whatever the pattern misses
        }
        return words;
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }
}
