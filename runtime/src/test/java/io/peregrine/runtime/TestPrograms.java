package io.peregrine.runtime;

import io.peregrine.cep.AfterMatchSkipStrategy;
import io.peregrine.cep.Match;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaOptions;
import io.peregrine.cep.Pattern;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.MatchProjector;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Hand-built programs (what the DSL compiler will produce) for the runtime's tests. */
final class TestPrograms {

    static final int CARD = 0;
    static final int AMOUNT = 1;
    static final int COUNTRY = 2;
    static final int TS = 3;

    static final Schema TXN = Schema.builder()
            .add("card_id", DataType.STRING)
            .add("amount", DataType.DOUBLE)
            .add("country", DataType.STRING)
            .add("ts", DataType.TIMESTAMP)
            .build();

    /** card_id, first_ts, last_ts, amount (of the last event), kind ('match' or 'timeout'), n (MATCH_NUMBER). */
    static final Schema OUT = Schema.builder()
            .add("card_id", DataType.STRING)
            .add("first_ts", DataType.TIMESTAMP)
            .add("last_ts", DataType.TIMESTAMP)
            .add("amount", DataType.DOUBLE)
            .add("kind", DataType.STRING)
            .add("n", DataType.BIGINT)
            .build();

    private TestPrograms() {}

    static StreamDef transactions(long boundMillis) {
        return transactions(boundMillis, "json");
    }

    static StreamDef transactions(long boundMillis, String format) {
        return new StreamDef("transactions", TXN, TS, boundMillis, Map.of("format", format));
    }

    /** A small amount then a large one within 10 minutes, skip past last event. */
    static CompiledPattern smallThenLarge(StreamDef in) {
        Pattern<Row> p = Pattern.<Row>begin("small", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(r -> r.getDouble(AMOUNT) < 1.0)
                .followedBy("large").where(r -> r.getDouble(AMOUNT) > 500.0)
                .within(Duration.ofMinutes(10));
        return new CompiledPattern("small_then_large", in, new int[] {CARD}, TS, null, Nfa.compile(p), OUT,
                projector("match"), null);
    }

    /** Like {@link #smallThenLarge} within 1 minute, emitting timed-out partial matches. */
    static CompiledPattern smallThenLargeWithTimeouts(StreamDef in) {
        Pattern<Row> p = Pattern.<Row>begin("small", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(r -> r.getDouble(AMOUNT) < 1.0)
                .followedBy("large").where(r -> r.getDouble(AMOUNT) > 500.0)
                .within(Duration.ofMinutes(1));
        Nfa<Row> nfa = Nfa.compile(p, NfaOptions.defaults().withTimedOutMatches(true));
        return new CompiledPattern("quick_large", in, new int[] {CARD}, TS, null, nfa, OUT,
                projector("match"), projector("timeout"));
    }

    /** Three small amounts in a row (strict), no skip, ties at equal timestamps ordered by amount. */
    static CompiledPattern threeSmall(StreamDef in, boolean tieByAmount) {
        Pattern<Row> p = Pattern.<Row>begin("s").where(r -> r.getDouble(AMOUNT) < 1.0).times(3).consecutive()
                .within(Duration.ofMinutes(30));
        Comparator<Row> tie = tieByAmount ? Comparator.comparingDouble(r -> r.getDouble(AMOUNT)) : null;
        return new CompiledPattern("three_small", in, new int[] {CARD}, TS, tie, Nfa.compile(p), OUT,
                projector("match"), null);
    }

    /** A small amount not followed by a large one within 5 minutes: completes when the window closes. */
    static CompiledPattern smallWithoutLarge(StreamDef in) {
        Pattern<Row> p = Pattern.<Row>begin("small", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(r -> r.getDouble(AMOUNT) < 1.0)
                .notFollowedBy("large").where(r -> r.getDouble(AMOUNT) > 500.0)
                .within(Duration.ofMinutes(5));
        return new CompiledPattern("small_without_large", in, new int[] {CARD}, TS, null, Nfa.compile(p), OUT,
                projector("match"), null);
    }

    /** A purchase abroad after one at home within an hour, per country pair: partitioned by country. */
    static CompiledPattern byCountry(StreamDef in) {
        Pattern<Row> p = Pattern.<Row>begin("big", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(r -> r.getDouble(AMOUNT) > 1000.0)
                .next("bigger").where((r, ctx) -> r.getDouble(AMOUNT) > 1500.0)
                .within(Duration.ofHours(1));
        Schema out = Schema.builder().add("country", DataType.STRING).add("first_ts", DataType.TIMESTAMP)
                .add("last_ts", DataType.TIMESTAMP).add("n", DataType.BIGINT).build();
        MatchProjector proj = (match, number, sink) -> {
            RowBuilder b = new RowBuilder(out);
            b.setString(0, match.event(0).getString(COUNTRY));
            b.setLong(1, match.timestamp(0));
            b.setLong(2, match.timestamp(match.size() - 1));
            b.setLong(3, number);
            sink.accept(b.build());
        };
        return new CompiledPattern("big_by_country", in, new int[] {COUNTRY}, TS, null, Nfa.compile(p), out,
                proj, null);
    }

    static MatchProjector projector(String kind) {
        return (Match<Row> match, long number, java.util.function.Consumer<Row> sink) -> {
            RowBuilder b = new RowBuilder(OUT);
            Row first = match.event(0);
            Row last = match.event(match.size() - 1);
            b.setString(0, first.getString(CARD));
            b.setLong(1, match.timestamp(0));
            b.setLong(2, match.timestamp(match.size() - 1));
            b.setDouble(3, last.getDouble(AMOUNT));
            b.setString(4, kind);
            b.setLong(5, number);
            sink.accept(b.build());
        };
    }

    static Program program(StreamDef stream, CompiledPattern... patterns) {
        return new Program(new SourceFile("test.pg", ""), List.of(stream), List.of(patterns));
    }

    /** The usual test program: four patterns on a transactions stream with a 2 s bound. */
    static Program fraud(long boundMillis, String format) {
        StreamDef s = transactions(boundMillis, format);
        return program(s, smallThenLarge(s), smallThenLargeWithTimeouts(s), smallWithoutLarge(s), byCountry(s));
    }

    static Row txn(String card, double amount, String country, long ts) {
        return Row.of(TXN, card, amount, country, java.time.Instant.ofEpochMilli(ts));
    }

    static String json(String card, double amount, String country, long ts) {
        return "{\"card_id\":\"" + card + "\",\"amount\":" + amount + ",\"country\":\"" + country + "\",\"ts\":" + ts + "}";
    }
}
