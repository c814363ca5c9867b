package dev.deepscope.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * GPT-2's real tokenizer (r50k_base, 50,257 tokens) from jtokkit, to set beside ours. Its tokens are bytes
 * too ("é" may be split in two), so they are spelled the same way as ours ({@link TextToken}).
 */
@Component
class Gpt2Tokenizer {

    static final int VOCABULARY = 50_257;

    private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    List<TextToken> tokenize(String text) {
        return TextToken.of(encoding.encodeOrdinary(text).toArray(), this::bytes);
    }

    private byte[] bytes(int id) {
        IntArrayList one = new IntArrayList(1);
        one.add(id);
        return encoding.decodeBytes(one);
    }
}
