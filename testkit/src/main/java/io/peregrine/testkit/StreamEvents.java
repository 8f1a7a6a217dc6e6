package io.peregrine.testkit;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitraries of events for a stream declared in a program, in event-time order.
 *
 * <p>Every column gets a small default domain so that patterns' conditions are met often enough to
 * match: strings from {@code a b c d}, numbers from 0 to 100, booleans; key columns (set with
 * {@link #keys}) take one of a few values. Timestamps start at {@link #start} and grow by a gap drawn
 * from {@link #gaps} (a gap of 0 gives events with equal timestamps). Everything shrinks toward
 * fewer events, smaller gaps and the first values of each domain.
 *
 * <pre>{@code
 * Arbitrary<List<TestEvent>> events = StreamEvents.of(program, "transactions")
 *         .keys("card", 3)
 *         .values("amount", Arbitraries.integers().between(1, 500))
 *         .list(0, 40);
 * }</pre>
 */
public final class StreamEvents {

    private static final long DEFAULT_START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private final StreamDef stream;
    private final Map<String, Arbitrary<?>> domains = new LinkedHashMap<>();
    private long start = DEFAULT_START;
    private long minGap = 0;
    private long maxGap = 2_000;

    private StreamEvents(StreamDef stream) {
        this.stream = stream;
        if (!stream.hasRowtime()) {
            throw new IllegalArgumentException("stream " + stream.name()
                    + " has no WATERMARK FOR column: the kit generates events in event time");
        }
    }

    /** Events for the stream named {@code stream} of {@code program}. */
    public static StreamEvents of(Program program, String stream) {
        return new StreamEvents(program.stream(stream).orElseThrow(() -> new IllegalArgumentException(
                "unknown stream " + stream + " (the program declares "
                        + program.streams().stream().map(StreamDef::name).toList() + ")")));
    }

    /** The column is a key: it takes one of {@code cardinality} values ({@code k0, k1, ...} or 0, 1, ...). */
    public StreamEvents keys(String column, int cardinality) {
        if (cardinality < 1) {
            throw new IllegalArgumentException("cardinality must be at least 1, was " + cardinality);
        }
        Column c = column(column);
        Arbitrary<?> domain;
        switch (c.type().kind()) {
            // uniform, without jqwik's edge cases: they would pile most events onto k0 and the last key
            case STRING -> domain = keyIndexes(cardinality).map(i -> "k" + i);
            case INT, BIGINT -> domain = keyIndexes(cardinality);
            default -> throw new IllegalArgumentException("a key column must be STRING, INT or BIGINT; "
                    + column + " is " + c.type());
        }
        domains.put(c.name(), domain);
        return this;
    }

    private static Arbitrary<Integer> keyIndexes(int cardinality) {
        return Arbitraries.integers().between(0, cardinality - 1)
                .withDistribution(net.jqwik.api.RandomDistribution.uniform()).withoutEdgeCases();
    }

    /**
     * The column's values: strings for STRING, numbers for the numeric types and TIMESTAMP (epoch
     * milliseconds), booleans for BOOLEAN.
     */
    public StreamEvents values(String column, Arbitrary<?> values) {
        Column c = column(column);
        if (c.index() == stream.rowtimeColumn()) {
            throw new IllegalArgumentException(column + " is the event-time column: set it with start() and gaps()");
        }
        domains.put(c.name(), values);
        return this;
    }

    /** The first event's timestamp (epoch milliseconds); 2026-01-01T00:00:00Z by default. */
    public StreamEvents start(long epochMillis) {
        this.start = epochMillis;
        return this;
    }

    /** The gap between consecutive events' timestamps, in milliseconds; 0 to 2,000 by default. */
    public StreamEvents gaps(long minMillis, long maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("gaps must satisfy 0 <= min <= max, were " + minMillis + ", " + maxMillis);
        }
        this.minGap = minMillis;
        this.maxGap = maxMillis;
        return this;
    }

    /** Lists of {@code minSize} to {@code maxSize} events in event-time order. */
    public Arbitrary<List<TestEvent>> list(int minSize, int maxSize) {
        List<Arbitrary<Object>> parts = new ArrayList<>();
        parts.add(Arbitraries.longs().between(minGap, maxGap).map(g -> (Object) g));
        for (Column c : stream.schema().columns()) {
            if (c.index() != stream.rowtimeColumn()) {
                Arbitrary<?> d = domains.getOrDefault(c.name(), defaultDomain(c.type()));
                parts.add(d.map(v -> (Object) v));
            }
        }
        Arbitrary<List<Object>> tuple = Combinators.combine(parts).as(values -> values);
        return tuple.list().ofMinSize(minSize).ofMaxSize(maxSize).map(this::events);
    }

    private List<TestEvent> events(List<List<Object>> tuples) {
        List<TestEvent> out = new ArrayList<>(tuples.size());
        long t = start;
        for (int i = 0; i < tuples.size(); i++) {
            List<Object> v = tuples.get(i);
            if (i > 0) {
                t += (Long) v.get(0);
            }
            StringBuilder json = new StringBuilder("{");
            int next = 1;
            for (Column c : stream.schema().columns()) {
                if (json.length() > 1) {
                    json.append(',');
                }
                Json.string(json, c.name());
                json.append(':');
                Object value = c.index() == stream.rowtimeColumn() ? (Object) t : v.get(next++);
                Json.value(json, c.type(), value);
            }
            out.add(new TestEvent(stream.name(), t, json.append('}').toString()));
        }
        return out;
    }

    private Column column(String name) {
        return stream.schema().find(name).orElseThrow(() -> new IllegalArgumentException(
                "stream " + stream.name() + " has no column " + name + " (it has " + stream.schema().names() + ")"));
    }

    private Arbitrary<?> defaultDomain(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Arbitraries.of(false, true);
            case INT, BIGINT -> Arbitraries.integers().between(0, 100);
            case DOUBLE -> Arbitraries.integers().between(0, 200).map(i -> i / 2.0);
            case DECIMAL -> Arbitraries.integers().between(0, 10_000)
                    .map(i -> BigDecimal.valueOf(i, 2).setScale(type.scale(), java.math.RoundingMode.HALF_UP));
            case TIMESTAMP -> Arbitraries.longs().between(0, 3_600_000).map(d -> start + d);
            case STRING -> Arbitraries.of("a", "b", "c", "d");
            default -> throw new IllegalArgumentException("no default values for columns of type " + type);
        };
    }
}
