package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.cep.NfaStateSerializerPropertiesTest.Ev;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Format version 1 of {@link NfaStateSerializer} is frozen in {@code golden/nfa-state-v1.bin}, written
 * by the last build that wrote version 1: the bytes must still read back into a state that continues
 * correctly. This build writes version 2 ({@link NfaStateGoldenBytesV2Test}), which is version 1 with
 * the key's position and history appended; nothing here regenerates the version 1 file.
 */
class NfaStateGoldenBytesTest {

    private static final String GOLDEN = "golden/nfa-state-v1.bin";

    static Nfa<Ev> nfa() {
        return Nfa.compile(pattern(), NfaOptions.defaults().withTimedOutMatches(true));
    }

    static Pattern<Ev> pattern() {
        Pattern<Ev> a = Pattern.<Ev>begin("a").where(e -> e.type() == 'a');
        Aggregate<Ev> max = a.aggregate(AggregateKind.MAX, Ev::value);
        EventRef<Ev> last = a.lastEvent();
        Pattern<Ev> p = a.followedBy("b").where(e -> e.type() == 'b').oneOrMore()
                .followedBy("c").where((e, ctx) -> e.type() == 'c' && e.value() > ctx.aggregate(max)
                        && ctx.event(last) != null)
                .within(Duration.ofMillis(100));
        return p;
    }

    /** The state after a, b, x, b: two partial matches sharing the a and b nodes. */
    static NfaState<Ev> goldenState(Nfa<Ev> nfa) {
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> c = new Recorder<>(Match::toString);
        nfa.process(state, new Ev('a', 3), 10, c);
        nfa.process(state, new Ev('b', 1), 11, c);
        nfa.process(state, new Ev('x', 0), 12, c);
        nfa.process(state, new Ev('b', 2), 12, c);
        return state;
    }

    static List<String> finish(Nfa<Ev> nfa, NfaState<Ev> state) {
        Recorder<Ev> c = new Recorder<>(Match::toString);
        nfa.process(state, new Ev('c', 2), 20, c);
        nfa.process(state, new Ev('c', 5), 21, c);
        nfa.advanceTime(state, 200, c);
        return c.emitted;
    }

    @Test
    void shouldWriteVersion2AsTheFrozenVersion1BytesPlusPositionAndHistory() throws IOException {
        Nfa<Ev> nfa = nfa();
        byte[] bytes = new NfaStateSerializer<>(nfa, NfaStateSerializerPropertiesTest.EVENTS)
                .serialize(goldenState(nfa));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        byte[] v1 = golden();
        out.writeByte(2);
        out.write(v1, 1, v1.length - 1);
        out.writeLong(4); // position: four events processed
        out.writeByte(0); // no history (varint 0)
        assertArrayEquals(expected.toByteArray(), bytes);
    }

    @Test
    void shouldReadVersion1AsAStateWithPositionZeroAndNoHistory() throws IOException {
        Nfa<Ev> nfa = Nfa.compile(pattern(), NfaOptions.defaults().withTimedOutMatches(true).withHistory(2));
        NfaState<Ev> restored = new NfaStateSerializer<>(nfa, NfaStateSerializerPropertiesTest.EVENTS)
                .deserialize(golden());
        assertEquals(0, restored.position);
        assertEquals(0, restored.historySize);
        assertEquals(2, restored.historyEvents.length);
        assertEquals(2, restored.partialMatchCount());
    }

    @Test
    void shouldContinueFromTheFrozenBytesLikeTheLiveState() throws IOException {
        Nfa<Ev> nfa = nfa();
        NfaState<Ev> restored = new NfaStateSerializer<>(nfa, NfaStateSerializerPropertiesTest.EVENTS)
                .deserialize(golden());
        List<String> expected = finish(nfa, goldenState(nfa));
        assertEquals(expected, finish(nfa, restored));
        assertEquals(List.of(
                "Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, b=Ev[type=b, value=2]@12, c=Ev[type=c, value=5]@21]",
                "Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, c=Ev[type=c, value=5]@21]",
                "timeout Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, b=Ev[type=b, value=2]@12]@110"),
                expected);
    }

    @Test
    void shouldRejectStateOfAnotherPatternOrVersion() throws IOException {
        Nfa<Ev> other = Nfa.compile(Pattern.<Ev>begin("a").followedBy("b"));
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(other, NfaStateSerializerPropertiesTest.EVENTS);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> serializer.deserialize(golden()));
        assertEquals(true, e.getCause().getMessage().contains("different pattern"), e.getCause().getMessage());
        byte[] future = golden();
        future[0] = 9;
        UncheckedIOException v = assertThrows(UncheckedIOException.class,
                () -> new NfaStateSerializer<>(nfa(), NfaStateSerializerPropertiesTest.EVENTS).deserialize(future));
        assertEquals(true, v.getCause().getMessage().contains("version 9"), v.getCause().getMessage());
    }

    private static byte[] golden() throws IOException {
        return resource(GOLDEN);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NfaStateGoldenBytesTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
