package io.peregrine.dsl;

import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.NfaState;
import io.peregrine.dsl.compile.SqlFunctions;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a compiled pattern over rows in memory the way the runtime does for one key at a time:
 * partition, order by event time (then the tie order, then arrival), feed the NFA, flush at the end
 * of input. Output rows are rendered as {@code v1 | v2 | ...} with timestamps in ISO-8601, in the
 * order partitions first appear.
 */
final class DslHarness {

    private DslHarness() {}

    static Program compile(String program) {
        try {
            return Programs.compile("test.cep", program);
        } catch (DslException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Rows from {@code a, b, c} lines in the stream's column order; timestamps as {@code 2011-04-01 10:00:00}. */
    static List<Row> rows(Schema schema, String... lines) {
        List<Row> out = new ArrayList<>();
        RowBuilder b = new RowBuilder(schema);
        for (String line : lines) {
            String[] parts = line.split(",", -1);
            if (parts.length != schema.size()) {
                throw new IllegalArgumentException("expected " + schema.size() + " values in '" + line + "'");
            }
            for (int i = 0; i < parts.length; i++) {
                String v = parts[i].trim();
                Column c = schema.column(i);
                if (v.equals("null")) {
                    b.setNull(i);
                    continue;
                }
                switch (c.type().kind()) {
                    case TIMESTAMP:
                        b.setLong(i, SqlFunctions.parseTimestamp(v));
                        break;
                    case STRING:
                        b.setString(i, v);
                        break;
                    case BOOLEAN:
                        b.setBoolean(i, Boolean.parseBoolean(v));
                        break;
                    case DOUBLE:
                        b.setDouble(i, Double.parseDouble(v));
                        break;
                    case DECIMAL:
                        b.setObject(i, new BigDecimal(v));
                        break;
                    default:
                        b.setLong(i, Long.parseLong(v));
                }
            }
            out.add(b.build());
        }
        return out;
    }

    record Output(List<String> matches, List<String> timeouts) {}

    static List<String> run(String program, String pattern, String... lines) {
        return runAll(program, pattern, lines).matches();
    }

    static Output runAll(String program, String pattern, String... lines) {
        Program p = compile(program);
        CompiledPattern cp = p.pattern(pattern).orElseThrow();
        List<Row> input = rows(cp.input().schema(), lines);
        Map<List<Object>, List<Row>> partitions = new LinkedHashMap<>();
        for (Row r : input) {
            List<Object> key = new ArrayList<>();
            for (int c : cp.partitionColumns()) {
                key.add(r.get(c));
            }
            partitions.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<String> matches = new ArrayList<>();
        List<String> timeouts = new ArrayList<>();
        int ts = cp.rowtimeColumn();
        for (List<Row> rows : partitions.values()) {
            Comparator<Row> order = Comparator.comparingLong(r -> r.getLong(ts));
            if (cp.tieOrder() != null) {
                order = order.thenComparing(cp.tieOrder());
            }
            rows.sort(order); // stable: arrival order breaks the remaining ties
            NfaState<Row> state = cp.nfa().newState();
            long[] number = {0};
            MatchCollector<Row> collector = new MatchCollector<>() {
                @Override
                public void onMatch(Match<Row> m) {
                    cp.projector().project(m, ++number[0], r -> matches.add(render(r)));
                }

                @Override
                public void onTimeout(Match<Row> m, long at) {
                    cp.timeoutProjector().project(m, 0, r -> timeouts.add(render(r)));
                }
            };
            for (Row r : rows) {
                cp.nfa().advanceTime(state, r.getLong(ts), collector);
                cp.nfa().process(state, r, r.getLong(ts), collector);
            }
            cp.nfa().advanceTime(state, Long.MAX_VALUE, collector);
        }
        return new Output(matches, timeouts);
    }

    static String render(Row r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            Object v = r.get(i);
            sb.append(v instanceof Instant ? v.toString().replace("T", " ").replace("Z", "") : String.valueOf(v));
        }
        return sb.toString();
    }
}
