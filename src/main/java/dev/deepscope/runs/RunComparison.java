package dev.deepscope.runs;

import dev.deepscope.errors.GoneException;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.system.RandomIds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two runs side by side ({@code /compare?a=…&b=…}): both looked up, of the same kind, with their params lined up
 * name by name. Errors name the field ({@code a} or {@code b}) that is wrong: 400 if it is missing or not a run id,
 * or if the two runs are of different kinds (named in the message); 404 if no run has the id; 410 if retention
 * removed it. The same id twice is allowed (a run against itself).
 */
@Component
class RunComparison {

    /**
     * One parameter of both runs, as text ({@code "—"} where a run has none; a long value, such as a pasted text or
     * a drawn data set, summed up, see {@link #SHOWN}); {@code differs}: the whole values are not equal.
     */
    record ParamRow(String name, String a, String b, boolean differs) {
    }

    /** Both runs (same kind) and their params, a's names first in its order, then those only b has. */
    record Pair(String kind, Run a, Run b, List<ParamRow> params) {

        /** Run a's params for the page's scripts, see {@link RunComparison#forPage}. */
        public String aParams() {
            return forPage(a.params()).toString();
        }

        public String bParams() {
            return forPage(b.params()).toString();
        }
    }

    /** The two runs are of different kinds (400, naming b): the message names both kinds. */
    static final class DifferentKinds extends InvalidFieldException {

        DifferentKinds(String a, String b) {
            super("b", "is a " + b + " run and a is a " + a + " run: only two runs of the same kind can be compared"
                    + " side by side.");
        }
    }

    static final String ABSENT = "—";

    private final RunRecords records;

    RunComparison(RunRecords records) {
        this.records = records;
    }

    /** The pair, or the problem with one of the ids (see the class comment). Blocking (JDBC). */
    Pair compare(String a, String b) {
        Run first = run("a", a);
        Run second = run("b", b);
        if (!first.kind().equals(second.kind())) {
            throw new DifferentKinds(first.kind(), second.kind());
        }
        return new Pair(first.kind(), first, second, params(first, second));
    }

    /** The run named by field {@code field}; checks only that the id is there and well formed. Blocking (JDBC). */
    Run run(String field, String id) {
        wellFormed(field, id);
        return records.find(id).orElseThrow(() -> renamed(field, records.missing(id)));
    }

    static void wellFormed(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidFieldException(field, "is required: the id of a run (22 letters, digits, - or _).");
        }
        if (!RandomIds.isWellFormed(id)) {
            String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
            throw new InvalidFieldException(field, "is not a run id (22 letters, digits, - or _): “" + shown + "”.");
        }
    }

    /** The store says "id"; here the problem names the query field, a or b. */
    private static RuntimeException renamed(String field, RuntimeException why) {
        if (why instanceof GoneException gone) {
            return new GoneException(field, gone.getMessage(), gone.properties());
        }
        return new NotFoundException(field, why.getMessage());
    }

    private static List<ParamRow> params(Run a, Run b) {
        Set<String> names = new LinkedHashSet<>();
        names.addAll(a.params().propertyNames());
        names.addAll(b.params().propertyNames());
        List<ParamRow> rows = new ArrayList<>();
        for (String name : names) {
            JsonNode x = a.params().get(name);
            JsonNode y = b.params().get(name);
            rows.add(new ParamRow(name, text(x), text(y), !Objects.equals(x, y)));
        }
        if (!names.contains("seed") && (a.seed() != null || b.seed() != null)) {
            String x = a.seed() == null ? ABSENT : a.seed().toString();
            String y = b.seed() == null ? ABSENT : b.seed().toString();
            rows.add(new ParamRow("seed", x, y, !x.equals(y)));
        }
        return rows;
    }

    /** The longest value shown whole in a row (characters); a table cell is no place for 100 KB of text. */
    static final int SHOWN = 120;

    /**
     * A value as a person reads it: text without quotes, anything else as compact JSON; past {@link #SHOWN}
     * characters, a string's start and its length, an array's length, an object's fields summed up one level deep
     * (e.g. {@code classes: ["ring","cross"] · examples: 60 items}).
     */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return ABSENT;
        }
        String whole = value.isString() ? value.asString() : value.toString();
        if (whole.length() <= SHOWN) {
            return whole;
        }
        if (value.isString()) {
            return whole.substring(0, SHOWN - 20) + "… (" + whole.length() + " characters)";
        }
        if (value.isArray()) {
            return value.size() + " items";
        }
        List<String> fields = new ArrayList<>();
        for (String name : value.propertyNames()) {
            String field = text(value.get(name));
            fields.add(name + ": " + (field.length() <= SHOWN ? field : value.get(name).size() + " items"));
        }
        return String.join(" · ", fields);
    }

    /** The largest param the page's scripts get (characters of JSON): a 2,000-character prompt, not a data set. */
    static final int FOR_PAGE = 4096;

    /**
     * A run's params for the page's scripts (their numbers: steps, batch size, guidance): the fields of at most
     * {@link #FOR_PAGE} characters, so a drawn data set (up to ~1 MB) or a pasted text is not copied into the page;
     * a larger one is there as its summary ({@link #text}), so the scripts still see that it was given.
     */
    static JsonNode forPage(JsonNode params) {
        ObjectNode light = JsonNodeFactory.instance.objectNode();
        for (String name : params.propertyNames()) {
            JsonNode value = params.get(name);
            if (value.toString().length() <= FOR_PAGE) {
                light.set(name, value);
            } else {
                light.put(name, text(value));
            }
        }
        return light;
    }
}
