package dev.deepscope.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** GPT-2's real tokenizer (r50k_base, 50,257 tokens) from jtokkit, to set beside ours. */
@Component
class Gpt2Tokenizer {

    private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    List<TextApi.Token> tokenize(String text) {
        IntArrayList ids = encoding.encodeOrdinary(text);
        List<TextApi.Token> tokens = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            IntArrayList one = new IntArrayList(1);
            one.add(ids.get(i));
            tokens.add(new TextApi.Token(ids.get(i), new String(encoding.decodeBytes(one), StandardCharsets.UTF_8)));
        }
        return tokens;
    }
}
