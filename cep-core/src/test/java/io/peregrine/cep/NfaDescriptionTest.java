package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NfaDescriptionTest {

    private record Small(double amount) implements Condition<Double> {
        @Override
        public boolean test(Double event, Context<Double> context) {
            return event < amount;
        }

        @Override
        public String description() {
            return "amount < " + amount;
        }
    }

    private static Pattern<Double> pattern() {
        return Pattern.<Double>begin("s", AfterMatchSkipStrategy.skipPastLastEvent()).where(new Small(1.0)).times(2)
                .followedBy("l").where(new Small(1000.0)).where((e, c) -> e > 500)
                .within(Duration.ofMinutes(10));
    }

    @Test
    void shouldDescribeElementsStatesAndConditionTexts() {
        NfaDescription d = Nfa.compile(pattern()).description();
        assertEquals(600_000, d.windowMillis());
        assertEquals(AfterMatchSkipStrategy.skipPastLastEvent(), d.skipStrategy());
        assertEquals(List.of(
                new NfaDescription.Element("s", ConsumingStrategy.STRICT, "times(2)", ConsumingStrategy.SKIP_TILL_NEXT,
                        false, "amount < 1.0", null, 0),
                new NfaDescription.Element("l", ConsumingStrategy.SKIP_TILL_NEXT, "", null, false,
                        "amount < 1000.0 AND <java condition>", null, 0)), d.elements());
        List<String> edges = new ArrayList<>();
        for (NfaDescription.State s : d.states()) {
            for (NfaDescription.Edge e : s.edges()) {
                edges.add(s.name() + " " + e.action() + " " + d.states().get(e.target()).name() + " if " + e.condition());
            }
        }
        assertEquals(List.of(
                "l TAKE $endState$ if amount < 1000.0 AND <java condition>",
                "l IGNORE l if NOT (amount < 1000.0 AND <java condition>)",
                "s TAKE l if amount < 1.0",
                "s IGNORE s if NOT (amount < 1.0)",
                "s:0 TAKE s if amount < 1.0"), edges);
        assertEquals("s:0", d.states().get(d.startState()).name());
    }

    @Test
    void shouldReportRunsConditionsAndEdgesToTheTracerOnly() {
        Nfa<Double> nfa = Nfa.compile(pattern());
        NfaProcessor<Double> processor = nfa.newProcessor();
        NfaState<Double> state = nfa.newState();
        List<String> log = new ArrayList<>();
        processor.setTracer(new NfaTracer<>() {
            @Override
            public void onRun(Double event, int stateId, long startTimestamp) {
                log.add("run " + nfa.description().states().get(stateId).name() + " start=" + startTimestamp);
            }

            @Override
            public void onCondition(Condition<Double> condition, boolean result) {
                log.add("cond " + Conditions.text(condition) + "=" + result);
            }

            @Override
            public void onEdge(int stateId, int edgeIndex, boolean passed) {
                log.add("edge " + stateId + "." + edgeIndex + "=" + passed);
            }
        });
        List<Match<Double>> matches = new ArrayList<>();
        processor.process(state, 0.5, 1000, m -> matches.add(m.copy()));
        processor.setTracer(null);
        processor.process(state, 0.7, 2000, m -> matches.add(m.copy()));
        assertEquals(List.of(
                "run s:0 start=" + Long.MIN_VALUE,
                "cond amount < 1.0=true",
                "edge 3.0=true"), log.subList(0, 3));
        assertEquals(3, log.size(), "nothing after the tracer is removed: " + log);
        assertEquals(0, matches.size());
    }
}
