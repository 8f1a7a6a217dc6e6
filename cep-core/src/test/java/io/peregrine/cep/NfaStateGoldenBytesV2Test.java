package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.cep.NfaStateSerializerPropertiesTest.Ev;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Format version 2 of {@link NfaStateSerializer} is frozen in {@code golden/nfa-state-v2.bin}: the
 * bytes must not change, and they must still read back into a state that continues correctly,
 * history included. To regenerate after a deliberate format change (with a new version number), run
 * with {@code -Dgolden.write=true}.
 */
class NfaStateGoldenBytesV2Test {

    private static final String GOLDEN = "golden/nfa-state-v2.bin";

    /** c must exceed the event two before it (SQL's PREV(value, 2)) and come after the fourth event. */
    static Nfa<Ev> nfa() {
        Pattern<Ev> a = Pattern.<Ev>begin("a").where(e -> e.type() == 'a');
        EventRef<Ev> last = a.lastEvent();
        Pattern<Ev> p = a.followedBy("b").where(e -> e.type() == 'b').oneOrMore()
                .followedBy("c").where((e, ctx) -> {
                    Ev before = ctx.previous(2);
                    return e.type() == 'c' && ctx.position() >= 4 && before != null && e.value() > before.value()
                            && ctx.previousTimestamp(2) < ctx.timestamp() && ctx.event(last) != null;
                })
                .within(Duration.ofMillis(100));
        return Nfa.compile(p, NfaOptions.defaults().withTimedOutMatches(true).withHistory(3));
    }

    /**
     * The state after a, b, x, b: two partial matches sharing the a and b nodes, position 4, and a
     * history of b, x, b (x is in no partial match, so it is written inline).
     */
    static NfaState<Ev> goldenState(Nfa<Ev> nfa) {
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> c = new Recorder<>(Match::toString);
        nfa.process(state, new Ev('a', 3), 10, c);
        nfa.process(state, new Ev('b', 1), 11, c);
        nfa.process(state, new Ev('x', 0), 12, c);
        nfa.process(state, new Ev('b', 2), 12, c);
        return state;
    }

    /**
     * c (0) at 20 does not exceed x (0), the event two before it; c (5) at 21 exceeds b (2). Without the
     * restored history neither would match (nothing two back, position below 4).
     */
    static List<String> finish(Nfa<Ev> nfa, NfaState<Ev> state) {
        Recorder<Ev> c = new Recorder<>(Match::toString);
        nfa.process(state, new Ev('c', 0), 20, c);
        nfa.process(state, new Ev('c', 5), 21, c);
        nfa.advanceTime(state, 200, c);
        return c.emitted;
    }

    @Test
    void shouldWriteTheFrozenVersion2Bytes() throws IOException {
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
        assertEquals(4, restored.position);
        assertEquals(3, restored.historySize);
        List<String> expected = finish(nfa, goldenState(nfa));
        assertEquals(expected, finish(nfa, restored));
        assertEquals(List.of(
                "Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, b=Ev[type=b, value=2]@12, c=Ev[type=c, value=5]@21]",
                "Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, c=Ev[type=c, value=5]@21]",
                "timeout Match[a=Ev[type=a, value=3]@10, b=Ev[type=b, value=1]@11, b=Ev[type=b, value=2]@12]@110"),
                expected);
    }

    @Test
    void shouldRejectAHistoryLongerThanThePosition() {
        Nfa<Ev> nfa = nfa();
        NfaStateSerializer<Ev> serializer = new NfaStateSerializer<>(nfa, NfaStateSerializerPropertiesTest.EVENTS);
        NfaState<Ev> state = goldenState(nfa);
        state.position = 2;
        byte[] corrupt = serializer.serialize(state);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> serializer.deserialize(corrupt));
        assertEquals("corrupt NFA state: history of 3 events at position 2", e.getCause().getMessage());
    }

    private static byte[] golden() throws IOException {
        return NfaStateGoldenBytesTest.resource(GOLDEN);
    }
}
