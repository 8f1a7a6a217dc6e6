package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.cep.NfaStateSerializerPropertiesTest.Ev;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Format version 1 of {@link NfaStateSerializer} is frozen in {@code golden/nfa-state-v1.bin}: the
 * bytes must not change, and they must still read back into a state that continues correctly. To
 * regenerate after a deliberate format change (with a new version number), run with
 * {@code -Dgolden.write=true}.
 */
class NfaStateGoldenBytesTest {

    private static final String GOLDEN = "golden/nfa-state-v1.bin";

    static Nfa<Ev> nfa() {
        Pattern<Ev> a = Pattern.<Ev>begin("a").where(e -> e.type() == 'a');
        Aggregate<Ev> max = a.aggregate(AggregateKind.MAX, Ev::value);
        EventRef<Ev> last = a.lastEvent();
        Pattern<Ev> p = a.followedBy("b").where(e -> e.type() == 'b').oneOrMore()
                .followedBy("c").where((e, ctx) -> e.type() == 'c' && e.value() > ctx.aggregate(max)
                        && ctx.event(last) != null)
                .within(Duration.ofMillis(100));
        return Nfa.compile(p, NfaOptions.defaults().withTimedOutMatches(true));
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
    void shouldWriteTheFrozenVersion1Bytes() throws IOException {
        Nfa<Ev> nfa = nfa();
        byte[] bytes = new NfaStateSerializer<>(nfa, NfaStateSerializerPropertiesTest.EVENTS)
                .serialize(goldenState(nfa));
        if (Boolean.getBoolean("golden.write")) {
            Path target = Path.of("src/test/resources", GOLDEN);
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        }
        assertArrayEquals(golden(), bytes);
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
        try (InputStream in = NfaStateGoldenBytesTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IOException("missing test resource " + GOLDEN);
            }
            return in.readAllBytes();
        }
    }
}
