package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {

    record Ev(String name, long ts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<String> run(Pattern<Ev> p, String... names) {
        Nfa<Ev> nfa = Nfa.compile(p, NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> st = nfa.newState();
        List<String> out = new ArrayList<>();
        MatchCollector<Ev> c = new MatchCollector<>() {
            @Override
            public void onMatch(Match<Ev> m) {
                out.add(m.toMap().toString());
            }

            @Override
            public void onTimeout(Match<Ev> m, long ts) {
                out.add("timeout " + m.toMap() + "@" + ts);
            }
        };
        long ts = 1;
        for (String n : names) {
            nfa.process(st, new Ev(n, ts), ts, c);
            ts++;
        }
        nfa.advanceTime(st, Long.MAX_VALUE, c);
        return out;
    }

    static Pattern<Ev> starts(Pattern<Ev> p, String prefix) {
        return p.where(e -> e.name().startsWith(prefix));
    }

    @Test
    void contiguityExamplesFromFlinkDocs() {
        assertEquals(List.of(), run(starts(starts(Pattern.begin("a"), "a").next("b"), "b"), "a", "c", "b1", "b2"));
        assertEquals(List.of("{a=[a], b=[b1]}"),
                run(starts(starts(Pattern.begin("a"), "a").followedBy("b"), "b"), "a", "c", "b1", "b2"));
        assertEquals(List.of("{a=[a], b=[b1]}", "{a=[a], b=[b2]}"),
                run(starts(starts(Pattern.begin("a"), "a").followedByAny("b"), "b"), "a", "c", "b1", "b2"));
    }

    @Test
    void loopingWithinAndTimeouts() {
        Pattern<Ev> p = starts(starts(starts(Pattern.begin("a"), "a").followedBy("b"), "b").oneOrMore()
                .followedBy("c"), "c").within(Duration.ofMillis(100));
        List<String> got = run(p, "a", "b1", "d1", "b2", "d2", "b3", "c");
        System.out.println(got);
    }
}
