package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.cep.CepTestKit.Ev;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link Match} handed to collectors: a reused view, its copy, and its accessors. */
class MatchViewTest {

    /** a b{2} c over two rounds of input: two matches, delivered through the same view. */
    private static List<Match<Ev>> views(List<Match<Ev>> copies) {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).times(2).followedBy("c").where(named("c"));
        Nfa<Ev> nfa = Nfa.compile(p);
        NfaState<Ev> state = nfa.newState();
        List<Match<Ev>> views = new ArrayList<>();
        MatchCollector<Ev> collector = m -> {
            views.add(m);
            copies.add(m.copy());
        };
        for (Ev e : events("a1 b1 x b2 c1@10 a2@11 b3@12 b4@13 c2@20")) {
            nfa.process(state, e, e.ts(), collector);
        }
        return views;
    }

    @Test
    void copySurvivesReuseOfTheView() {
        List<Match<Ev>> copies = new ArrayList<>();
        List<Match<Ev>> views = views(copies);
        assertEquals(2, views.size());
        assertSame(views.get(0), views.get(1), "the collector receives one reused view");
        assertEquals("{a=[a1], b=[b1, b2], c=[c1]}", copies.get(0).toMap().toString());
        assertEquals("{a=[a2], b=[b3, b4], c=[c2]}", copies.get(1).toMap().toString());
        // the view now shows the last match
        assertEquals("{a=[a2], b=[b3, b4], c=[c2]}", views.get(0).toMap().toString());
    }

    @Test
    void copyOfACopyIsItself() {
        List<Match<Ev>> copies = new ArrayList<>();
        views(copies);
        assertSame(copies.get(0), copies.get(0).copy());
    }

    @Test
    void viewAndItsCopyAreEqual() {
        List<Match<Ev>> copies = new ArrayList<>();
        List<Match<Ev>> views = views(copies);
        Match<Ev> last = copies.get(1);
        assertEquals(last, views.get(0));
        assertEquals(last.hashCode(), views.get(0).copy().hashCode());
        assertNotSame(last, views.get(0).copy());
        assertEquals(false, copies.get(0).equals(last));
    }

    @Test
    void toMapGroupsEventsByElementInOrderOfFirstAppearance() {
        List<Match<Ev>> copies = new ArrayList<>();
        views(copies);
        Map<String, List<Ev>> map = copies.get(0).toMap();
        assertEquals(LinkedHashMap.class, map.getClass());
        assertEquals(List.of("a", "b", "c"), List.copyOf(map.keySet()));
        assertEquals(List.of("b1", "b2"), map.get("b").stream().map(Ev::name).toList());
    }

    @Test
    void accessorsGiveEventsTimestampsAndElementNamesInMatchOrder() {
        List<Match<Ev>> copies = new ArrayList<>();
        views(copies);
        Match<Ev> m = copies.get(0);
        assertEquals(4, m.size());
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            rows.add(m.elementName(i) + "=" + m.event(i) + "@" + m.timestamp(i));
        }
        assertEquals(List.of("a=a1@1", "b=b1@2", "b=b2@4", "c=c1@10"), rows);
        assertEquals(List.of("a1", "b1", "b2", "c1"), m.events().stream().map(Ev::name).toList());
        assertEquals(List.of("b1", "b2"), m.eventsOf("b").stream().map(Ev::name).toList());
        assertEquals(List.of(), m.eventsOf("nothing"));
        assertEquals("Match[a=a1@1, b=b1@2, b=b2@4, c=c1@10]", m.toString());
    }

    @Test
    void elementIdsIndexTheNfasElementNames() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b"));
        Nfa<Ev> nfa = Nfa.compile(p);
        List<Match<Ev>> copies = new ArrayList<>();
        NfaState<Ev> state = nfa.newState();
        for (Ev e : events("a b")) {
            nfa.process(state, e, e.ts(), m -> copies.add(m.copy()));
        }
        Match<Ev> m = copies.get(0);
        assertEquals("a", nfa.elementNames().get(m.elementId(0)));
        assertEquals("b", nfa.elementNames().get(m.elementId(1)));
    }

    @Test
    void indexOutsideTheMatchIsRejected() {
        List<Match<Ev>> copies = new ArrayList<>();
        views(copies);
        Match<Ev> m = copies.get(0);
        assertThrows(IndexOutOfBoundsException.class, () -> m.event(4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.timestamp(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.elementName(4));
    }

    @Test
    void eventsListIsUnmodifiable() {
        List<Match<Ev>> copies = new ArrayList<>();
        views(copies);
        assertThrows(UnsupportedOperationException.class, () -> copies.get(0).events().clear());
    }

    @Test
    void timedOutPartialMatchIsAViewWithTheEventsTakenSoFar() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).times(2)
                .within(java.time.Duration.ofMillis(10));
        Nfa<Ev> nfa = Nfa.compile(p, NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        List<String> out = new ArrayList<>();
        MatchCollector<Ev> collector = new MatchCollector<>() {
            @Override
            public void onMatch(Match<Ev> match) {
                out.add("match " + match);
            }

            @Override
            public void onTimeout(Match<Ev> partialMatch, long timeoutTimestamp) {
                out.add("timeout " + partialMatch.copy() + " at " + timeoutTimestamp + " size " + partialMatch.size());
            }
        };
        for (Ev e : events("a@1 b1@3")) {
            nfa.process(state, e, e.ts(), collector);
        }
        nfa.advanceTime(state, 50, collector);
        assertEquals(List.of("timeout Match[a=a@1, b=b1@3] at 11 size 2"), out);
    }
}
