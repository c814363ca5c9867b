package dev.deepscope.text;

/** The shipped small GPT's files: under {@code models/gpt/}, the checkpoint, the tokenizer and the manifest. */
public final class TextModelFiles {

    /** The model's name, and its folder under {@code models/}. */
    public static final String NAME = "gpt";
    /** The byte-pair tokenizer, beside the checkpoint (its sha256 in the manifest too). */
    public static final String TOKENIZER = "tokenizer.json";

    private TextModelFiles() {
    }
}
