package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A key's state written and read back at any point continues exactly like the state never persisted,
 * its physical history ({@link Context#previous(int)}, {@link Context#position()}) included.
 */
class NfaStateSerializerPropertiesTest {

    record Ev(char type, int value) {}

    static final EventSerializer<Ev> EVENTS = new EventSerializer<>() {
        @Override
        public void write(Ev event, DataOutput out) throws IOException {
            out.writeChar(event.type());
            out.writeInt(event.value());
        }

        @Override
        public Ev read(DataInput in) throws IOException {
            return new Ev(in.readChar(), in.readInt());
        }
    };

    record Timed(Ev event, long ts) {}

    static Pattern<Ev> pattern(int which) {
        switch (which) {
            case 0:
                return Pattern.<Ev>begin("a").where(e -> e.type() == 'a')
                        .followedBy("b").where(e -> e.type() == 'b').oneOrMore()
                        .followedBy("c").where(e -> e.type() == 'c')
                        .within(Duration.ofMillis(20));
            case 1: {
                Pattern<Ev> a = Pattern.<Ev>begin("a", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(e -> e.type() == 'a');
                Aggregate<Ev> sum = a.timesOrMore(2).aggregate(AggregateKind.SUM, Ev::value);
                EventRef<Ev> first = a.firstEvent();
                return a.followedByAny("b")
                        .where((e, ctx) -> e.value() >= ctx.aggregate(sum) / 4 && ctx.event(first) != null)
                        .within(Duration.ofMillis(30));
            }
            case 2:
                return Pattern.<Ev>begin(Pattern.<Ev>begin("x").where(e -> e.type() == 'a')
                                .followedBy("y").where(e -> e.type() != 'a'),
                        AfterMatchSkipStrategy.skipToNext())
                        .oneOrMore()
                        .notFollowedBy("z").where(e -> e.type() == 'd')
                        .within(Duration.ofMillis(15));
            case 3:
                // an alternation: its split states are ordinary states, persisted by id like the others
                return Pattern.<Ev>begin("a").where(e -> e.type() == 'a')
                        .followedBy(Pattern.anyOf(
                                Pattern.<Ev>begin("b").where(e -> e.type() == 'b').oneOrMore()
                                        .next("c").where(e -> e.type() == 'c'),
                                Pattern.<Ev>begin("d").where(e -> e.type() != 'a')))
                        .times(1, 2)
                        .followedByAny("e").where(e -> e.value() > 4)
                        .within(Duration.ofMillis(25));
            default:
                return Pattern.<Ev>begin("a").where(e -> e.type() == 'a')
                        .next("b").where(e -> e.type() == 'b').times(1, 3).greedy()
                        .followedBy("c").where(e -> e.type() == 'c')
                        .notNext("d").where(e -> e.type() == 'd')
                        .within(Duration.ofMillis(25));
        }
    }

    @Provide
    Arbitrary<List<Timed>> streams() {
        Arbitrary<Ev> ev = Combinators.combine(Arbitraries.of('a', 'b', 'c', 'd'), Arbitraries.integers().between(0, 9))
                .as(Ev::new);
        return Combinators.combine(ev, Arbitraries.integers().between(0, 4))
                .as((e, gap) -> new Object[] {e, gap})
                .list().ofMaxSize(25)
                .map(list -> {
                    List<Timed> out = new ArrayList<>();
                    long ts = 0;
                    for (Object[] o : list) {
                        ts += (Integer) o[1];
                        out.add(new Timed((Ev) o[0], ts));
                    }
                    return out;
                });
    }

    @Property(tries = 400)
    void restoredStateContinuesLikeTheOriginal(
            @ForAll @IntRange(min = 0, max = 4) int which,
            @ForAll("streams") List<Timed> stream,
            @ForAll @IntRange(min = 0, max = 25) int cut) {
        Nfa<Ev> nfa = Nfa.compile(pattern(which), NfaOptions.defaults().withTimedOutMatches(true));
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(nfa, EVENTS);
        assertEquals(run(nfa, stream, -1, serializer), run(nfa, stream, Math.min(cut, stream.size()), serializer));
    }

    /**
     * Patterns whose conditions read the key's physical history (SQL's PREV and ^), for a history of
     * {@code depth} events: restoring must bring back exactly what {@code previous(n)} and
     * {@code position()} would have answered.
     */
    static Pattern<Ev> historyPattern(int which, int depth) {
        switch (which) {
            case 0:
                // a rising run of b's: each b above the event just before it, whatever that was
                return Pattern.<Ev>begin("a").where(e -> e.type() == 'a')
                        .followedBy("b").where((e, ctx) -> e.type() == 'b' && e.value() > ctx.previous(1).value())
                        .oneOrMore()
                        .followedBy("c").where((e, ctx) -> {
                            Ev back = ctx.previous(depth);
                            return e.type() == 'c' && (back == null || e.value() >= back.value());
                        })
                        .within(Duration.ofMillis(20));
            case 1:
                // anchored: only the key's first two events may start a match
                return Pattern.<Ev>begin("a", AfterMatchSkipStrategy.skipPastLastEvent())
                        .where((e, ctx) -> ctx.position() < 2)
                        .followedByAny("b").where((e, ctx) -> e.type() != 'a'
                                && ctx.previousTimestamp(depth) <= ctx.timestamp()
                                && (ctx.position() + e.value()) % 3 == 0)
                        .within(Duration.ofMillis(30));
            default:
                // the event n back decides, for every n the history holds
                return Pattern.<Ev>begin("a").where((e, ctx) -> {
                    int sum = 0;
                    for (int n = 1; n <= depth; n++) {
                        Ev back = ctx.previous(n);
                        sum += back == null ? n : back.value() * n;
                    }
                    return sum % 4 == e.value() % 4;
                }).next("b").where((e, ctx) -> ctx.previous(1).type() != e.type()).times(1, 2)
                        .within(Duration.ofMillis(10));
        }
    }

    @Property(tries = 300)
    void restoredHistoryContinuesLikeTheOriginal(
            @ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll @IntRange(min = 1, max = 4) int depth,
            @ForAll("streams") List<Timed> stream,
            @ForAll @IntRange(min = 0, max = 25) int cut) {
        Nfa<Ev> nfa = Nfa.compile(historyPattern(which, depth),
                NfaOptions.defaults().withTimedOutMatches(true).withHistory(depth));
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(nfa, EVENTS);
        assertEquals(run(nfa, stream, -1, serializer), run(nfa, stream, Math.min(cut, stream.size()), serializer));
    }

    @Property(tries = 200)
    void historyReadsBackIntoTheSameBytes(
            @ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll @IntRange(min = 1, max = 4) int depth,
            @ForAll("streams") List<Timed> stream) {
        Nfa<Ev> nfa = Nfa.compile(historyPattern(which, depth),
                NfaOptions.defaults().withTimedOutMatches(true).withHistory(depth));
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(nfa, EVENTS);
        Recorder<Ev> c = new Recorder<>(Match::toString);
        NfaState<Ev> state = nfa.newState();
        for (Timed t : stream) {
            nfa.process(state, t.event(), t.ts(), c);
        }
        byte[] bytes = serializer.serialize(state);
        NfaState<Ev> restored = serializer.deserialize(bytes);
        assertEquals(state.position, restored.position);
        assertEquals(Math.min(stream.size(), depth), restored.historySize);
        for (int n = 1; n <= restored.historySize; n++) {
            assertEquals(state.historyEvents[state.historySlot(n)], restored.historyEvents[restored.historySlot(n)]);
            assertEquals(state.historyTimestamps[state.historySlot(n)],
                    restored.historyTimestamps[restored.historySlot(n)]);
        }
        assertArrayEquals(bytes, serializer.serialize(restored));
    }

    static List<String> run(Nfa<Ev> nfa, List<Timed> stream, int cutAt, NfaStateSerializer<Ev> serializer) {
        Recorder<Ev> c = new Recorder<>(Match::toString);
        NfaState<Ev> state = nfa.newState();
        for (int i = 0; i < stream.size(); i++) {
            if (i == cutAt) {
                state = serializer.deserialize(serializer.serialize(state));
            }
            nfa.process(state, stream.get(i).event(), stream.get(i).ts(), c);
        }
        if (cutAt == stream.size()) {
            state = serializer.deserialize(serializer.serialize(state));
        }
        nfa.advanceTime(state, Long.MAX_VALUE, c);
        List<String> out = new ArrayList<>(c.emitted);
        out.add("partial=" + state.partialMatchCount() + " pending=" + state.pendingMatchCount());
        return out;
    }
}
