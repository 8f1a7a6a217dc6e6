package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Context#previous(int)}, {@link Context#previousTimestamp(int)} and {@link Context#position()}:
 * the key's physical stream before the event under test, whatever the partial matches took.
 */
class PhysicalHistoryTest {

    static final EventSerializer<Ev> EVENTS = new EventSerializer<>() {
        @Override
        public void write(Ev event, DataOutput out) throws IOException {
            out.writeUTF(event.name());
            out.writeLong(event.ts());
            out.writeDouble(event.value());
        }

        @Override
        public Ev read(DataInput in) throws IOException {
            return new Ev(in.readUTF(), in.readLong(), in.readDouble());
        }
    };

    /** What a condition saw: {@code "e2 #2 [e1@2, e0@1, -]"} for position 2 and depth 3. */
    private static String seen(Ev e, Context<Ev> ctx, int depth) {
        StringBuilder sb = new StringBuilder().append(e.name()).append(" #").append(ctx.position()).append(" [");
        for (int n = 1; n <= depth; n++) {
            Ev p = ctx.previous(n);
            sb.append(n > 1 ? ", " : "").append(p == null ? "-" : p.name() + "@" + ctx.previousTimestamp(n));
        }
        return sb.append(']').toString();
    }

    /** One element that records what it sees for every event (the start run tests each event once). */
    private static Pattern<Ev> probe(List<String> out, int depth) {
        return Pattern.<Ev>begin("p").where((e, ctx) -> {
            out.add(seen(e, ctx, depth));
            return false;
        });
    }

    private static void feed(Nfa<Ev> nfa, NfaState<Ev> state, String spec, MatchCollector<Ev> collector) {
        for (Ev e : events(spec)) {
            nfa.process(state, e, e.ts(), collector);
        }
    }

    private static void feed(Nfa<Ev> nfa, NfaState<Ev> state, String spec) {
        feed(nfa, state, spec, new Recorder<>());
    }

    @Test
    void shouldSeeTheEventsBeforeTheOneUnderTestInProcessingOrder() {
        List<String> seen = new ArrayList<>();
        Nfa<Ev> nfa = Nfa.compile(probe(seen, 3), NfaOptions.defaults().withHistory(3));
        feed(nfa, nfa.newState(), "e0 e1 e2@5 e3@5 e4@9 e5");
        assertEquals(List.of(
                "e0 #0 [-, -, -]",
                "e1 #1 [e0@1, -, -]",
                "e2 #2 [e1@2, e0@1, -]",
                "e3 #3 [e2@5, e1@2, e0@1]",
                "e4 #4 [e3@5, e2@5, e1@2]",
                "e5 #5 [e4@9, e3@5, e2@5]"), seen);
    }

    @Test
    void shouldCountPositionWithoutHistory() {
        List<Long> positions = new ArrayList<>();
        Nfa<Ev> nfa = Nfa.compile(Pattern.<Ev>begin("p").where((e, ctx) -> positions.add(ctx.position()) && false));
        NfaState<Ev> state = nfa.newState();
        feed(nfa, state, "a b c d");
        assertEquals(List.of(0L, 1L, 2L, 3L), positions);
        assertNull(state.historyEvents, "no ring without history");
        assertNull(state.historyTimestamps);
    }

    @Test
    void shouldReadThePhysicalPreviousEventNotThePartialMatchs() {
        // SQL: DEFINE b AS b.value > PREV(b.value): the row before b, which the match skipped
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b"))
                .where((e, ctx) -> e.value() > ctx.previous(1).value());
        Nfa<Ev> nfa = Nfa.compile(p, NfaOptions.defaults().withHistory(1));
        Recorder<Ev> rec = new Recorder<>();
        feed(nfa, nfa.newState(), "a:5 x:1 b1:3 y:4 b2:2 z:0 b3:1", rec);
        // b1 (3) rises over x (1), the row before it, though not over a (5), the match's last event
        assertEquals(List.of("{a=[a], b=[b1]}"), rec.matches);
        rec = new Recorder<>();
        // b2 (0) does not rise over x (1) and is skipped; b3 (1) rises over z (0)
        feed(nfa, nfa.newState(), "a:5 x:1 b2:0 z:0 b3:1", rec);
        assertEquals(List.of("{a=[a], b=[b3]}"), rec.matches);
    }

    @Test
    void shouldNotChangeOnAdvanceTime() {
        List<String> seen = new ArrayList<>();
        // a window, so that advancing time has partial matches to time out
        Pattern<Ev> p = begin("a").where(named("a")).followedBy("b").where((e, ctx) -> {
            seen.add(seen(e, ctx, 2));
            return e.name().startsWith("b");
        }).within(Duration.ofMillis(5));
        Nfa<Ev> nfa = Nfa.compile(p, NfaOptions.defaults().withHistory(2).withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        feed(nfa, state, "a1@1 x@2", rec);
        nfa.advanceTime(state, 100, rec);
        nfa.advanceTime(state, 200, rec);
        assertEquals(List.of("{a=[a1]}@6"), rec.timeouts);
        // a2 itself advances time to 300 first (no run left to see it: nothing recorded)
        feed(nfa, state, "a2@300 b@301", rec);
        assertEquals(List.of("x #1 [a1@1, -]", "b #3 [a2@300, x@2]"), seen);
        assertEquals(List.of("{a=[a2], b=[b]}"), rec.matches);
    }

    @Test
    void shouldKeepEachKeysHistoryToItself() {
        List<String> seen = new ArrayList<>();
        Nfa<Ev> nfa = Nfa.compile(probe(seen, 2), NfaOptions.defaults().withHistory(2));
        NfaState<Ev> k1 = nfa.newState();
        NfaState<Ev> k2 = nfa.newState();
        feed(nfa, k1, "a1 a2");
        feed(nfa, k2, "b1");
        feed(nfa, k1, "a3@3");
        feed(nfa, k2, "b2@4");
        feed(nfa, k1, "a4@5");
        assertEquals(List.of(
                "a1 #0 [-, -]", "a2 #1 [a1@1, -]",
                "b1 #0 [-, -]",
                "a3 #2 [a2@2, a1@1]",
                "b2 #1 [b1@1, -]",
                "a4 #3 [a3@3, a2@2]"), seen);
    }

    @Test
    void shouldStartMatchesOnlyAtTheKeysFirstEventWhenAnchored() {
        // SQL: PATTERN (^ a b): the first element may only take the key's first event
        Pattern<Ev> anchored = begin("a").where(named("a")).where((e, ctx) -> ctx.position() == 0)
                .followedByAny("b").where(named("b"));
        Pattern<Ev> free = begin("a").where(named("a")).followedByAny("b").where(named("b"));
        for (NfaOptions options : List.of(NfaOptions.defaults(), NfaOptions.defaults().withHistory(2))) {
            Nfa<Ev> nfa = Nfa.compile(anchored, options);
            Recorder<Ev> rec = new Recorder<>();
            feed(nfa, nfa.newState(), "a1 a2 b1 a3 b2", rec);
            assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a1], b=[b2]}"), rec.matches);
            rec = new Recorder<>();
            feed(nfa, nfa.newState(), "x a1 b1", rec);
            assertEquals(List.of(), rec.matches, "the key's first event is x");
        }
        Nfa<Ev> nfa = Nfa.compile(free);
        Recorder<Ev> rec = new Recorder<>();
        feed(nfa, nfa.newState(), "a1 a2 b1", rec);
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a2], b=[b1]}"), rec.matches);
    }

    @Test
    void shouldRejectOffsetsOutsideTheConfiguredDepth() {
        for (int n : new int[] {0, -1, 4}) {
            Nfa<Ev> nfa = Nfa.compile(Pattern.<Ev>begin("p").where((e, ctx) -> ctx.previous(n) != null),
                    NfaOptions.defaults().withHistory(3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> feed(nfa, nfa.newState(), "a"));
            assertEquals("previous(" + n + ") is outside 1..3, the history depth set with NfaOptions.withHistory(3)",
                    e.getMessage());
        }
        Nfa<Ev> off = Nfa.compile(Pattern.<Ev>begin("p").where((e, ctx) -> ctx.previousTimestamp(1) > 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> feed(off, off.newState(), "a"));
        assertEquals("previousTimestamp(1) is outside 1..0, the history depth: history is off (turn it on with"
                + " NfaOptions.withHistory(depth))", e.getMessage());
    }

    @Test
    void shouldNotCountAnEventWhoseProcessingFailed() {
        List<String> seen = new ArrayList<>();
        Nfa<Ev> nfa = Nfa.compile(Pattern.<Ev>begin("p").where((e, ctx) -> {
            if (e.name().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            seen.add(seen(e, ctx, 1));
            return false;
        }), NfaOptions.defaults().withHistory(1));
        NfaState<Ev> state = nfa.newState();
        feed(nfa, state, "a");
        assertThrows(IllegalStateException.class, () -> feed(nfa, state, "boom@2"));
        feed(nfa, state, "b@3");
        assertEquals(List.of("a #0 [-]", "b #1 [a@1]"), seen);
    }

    @Test
    void shouldContinueLikeTheLiveStateAfterASerializationRoundTrip() {
        List<String> live = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        Nfa<Ev> liveNfa = Nfa.compile(probe(live, 3), NfaOptions.defaults().withHistory(3));
        Nfa<Ev> restoredNfa = Nfa.compile(probe(restored, 3), NfaOptions.defaults().withHistory(3));
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(restoredNfa, EVENTS);
        NfaState<Ev> a = liveNfa.newState();
        NfaState<Ev> b = restoredNfa.newState();
        feed(liveNfa, a, "e0 e1 e2 e3 e4");
        feed(restoredNfa, b, "e0 e1 e2 e3 e4");
        b = serializer.deserialize(serializer.serialize(b));
        restored.clear();
        feed(liveNfa, a, "e5@6 e6@7");
        feed(restoredNfa, b, "e5@6 e6@7");
        assertEquals(live.subList(5, 7), restored);
        assertEquals(List.of("e5 #5 [e4@5, e3@4, e2@3]", "e6 #6 [e5@6, e4@5, e3@4]"), restored);
    }

    @Test
    void shouldRestoreHistoryIntoTheDepthOfTheReadingNfa() {
        Nfa<Ev> writer = Nfa.compile(probe(new ArrayList<>(), 3), NfaOptions.defaults().withHistory(3));
        NfaState<Ev> state = writer.newState();
        feed(writer, state, "e0 e1 e2 e3");
        byte[] bytes = new NfaStateSerializer<>(writer, EVENTS).serialize(state);

        List<String> shallow = new ArrayList<>();
        Nfa<Ev> shallowNfa = Nfa.compile(probe(shallow, 2), NfaOptions.defaults().withHistory(2));
        feed(shallowNfa, new NfaStateSerializer<>(shallowNfa, EVENTS).deserialize(bytes), "e4@9");
        assertEquals(List.of("e4 #4 [e3@4, e2@3]"), shallow, "keeps the newest events");

        List<String> deep = new ArrayList<>();
        Nfa<Ev> deepNfa = Nfa.compile(probe(deep, 5), NfaOptions.defaults().withHistory(5));
        feed(deepNfa, new NfaStateSerializer<>(deepNfa, EVENTS).deserialize(bytes), "e4@9");
        assertEquals(List.of("e4 #4 [e3@4, e2@3, e1@2, -, -]"), deep, "has nothing older than was written");

        List<Long> positions = new ArrayList<>();
        Nfa<Ev> none = Nfa.compile(Pattern.<Ev>begin("p").where((e, ctx) -> positions.add(ctx.position()) && false));
        NfaState<Ev> restored = new NfaStateSerializer<>(none, EVENTS).deserialize(bytes);
        assertNull(restored.historyEvents);
        feed(none, restored, "e4@9");
        assertEquals(List.of(4L), positions);
    }

    @Test
    void shouldKeepSharedEventsIdenticalAcrossARoundTrip() {
        // b is in the shared buffer and in the history: one object after restoring, as before
        Pattern<Ev> p = begin("a").where(named("a")).followedBy("b").where(named("b"))
                .followedBy("c").where(named("c"));
        Nfa<Ev> nfa = Nfa.compile(p, NfaOptions.defaults().withHistory(2));
        NfaState<Ev> state = nfa.newState();
        feed(nfa, state, "a b");
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(nfa, EVENTS);
        NfaState<Ev> restored = serializer.deserialize(serializer.serialize(state));
        Object historyB = restored.historyEvents[restored.historySlot(1)];
        ComputationState<Ev> run = restored.partialMatches.get(0).isStart()
                ? restored.partialMatches.get(1) : restored.partialMatches.get(0);
        assertSame(run.node.event.event, historyB);
        assertEquals("b", ((Ev) historyB).name());
    }

    @Test
    void shouldNotBeIdleWhileHoldingHistory() {
        Pattern<Ev> p = begin("a").where(named("a")).followedBy("b").where(named("b"));
        Nfa<Ev> plain = Nfa.compile(p);
        NfaState<Ev> s = plain.newState();
        feed(plain, s, "x y");
        assertTrue(s.isIdle());
        Nfa<Ev> withHistory = Nfa.compile(p, NfaOptions.defaults().withHistory(1));
        NfaState<Ev> h = withHistory.newState();
        assertTrue(h.isIdle());
        feed(withHistory, h, "x y");
        assertFalse(h.isIdle(), "dropping the state would lose the history");
    }

    @Test
    void shouldValidateTheHistoryDepth() {
        assertEquals(0, NfaOptions.defaults().historyDepth());
        assertEquals(NfaOptions.MAX_HISTORY_DEPTH, NfaOptions.defaults().withHistory(1024).historyDepth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NfaOptions.defaults().withHistory(1025));
        assertEquals("historyDepth must be between 0 and 1024, got 1025", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NfaOptions.defaults().withHistory(-1));
        NfaOptions o = NfaOptions.defaults().withHistory(4).withTimedOutMatches(true).withMaxPartialMatches(9);
        assertEquals(new NfaOptions(true, 9, 4), o);
        assertEquals(new NfaOptions(true, 9, 0), new NfaOptions(true, 9));
    }
}
