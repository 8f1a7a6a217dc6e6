package io.peregrine.dsl.compile;

import io.peregrine.cep.Context;
import io.peregrine.dsl.schema.Row;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rows of a partial match for navigation and aggregates that have no O(1) path (offsets beyond
 * one, variables that occur more than once, SUBSETs, the universal variable, DISTINCT). Public
 * only for generated code.
 */
public final class PatternRows {

    private PatternRows() {}

    /**
     * The rows the given elements took, in time order (ties keep element order), then
     * {@code current} when it is not null.
     */
    @SuppressWarnings("unchecked")
    public static List<Row> rows(Context<?> ctx, String[] elements, Row current, int rowtime) {
        List<Row> out = new ArrayList<>();
        Context<Row> c = (Context<Row>) ctx;
        if (elements.length == 1) {
            for (Row r : c.eventsOf(elements[0])) {
                out.add(r);
            }
        } else {
            List<List<Row>> lists = new ArrayList<>(elements.length);
            for (String element : elements) {
                List<Row> l = new ArrayList<>();
                for (Iterator<Row> it = c.eventsOf(element).iterator(); it.hasNext(); ) {
                    l.add(it.next());
                }
                lists.add(l);
            }
            int[] pos = new int[elements.length];
            while (true) {
                int best = -1;
                for (int i = 0; i < lists.size(); i++) {
                    if (pos[i] < lists.get(i).size()) {
                        long ts = lists.get(i).get(pos[i]).getLong(rowtime);
                        if (best < 0 || ts < lists.get(best).get(pos[best]).getLong(rowtime)) {
                            best = i;
                        }
                    }
                }
                if (best < 0) {
                    break;
                }
                out.add(lists.get(best).get(pos[best]++));
            }
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }

    /** The row {@code offset} places from the first (or last) of {@code rows}, or null. */
    public static Row nth(List<Row> rows, boolean first, int offset) {
        int i = first ? offset : rows.size() - 1 - offset;
        return i >= 0 && i < rows.size() ? rows.get(i) : null;
    }
}
