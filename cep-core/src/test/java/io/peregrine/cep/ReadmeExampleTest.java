package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java example of README.md and cep-core/README.md, run on a small card-testing story. */
class ReadmeExampleTest {

    record Txn(String card, double amount, long ts) {}

    @Test
    void shouldFindCardTestingAsTheReadmeExampleDescribes() {
        Pattern<Txn> small = Pattern.<Txn>begin("small").where(t -> t.amount() < 1.0).timesOrMore(3);
        Aggregate<Txn> avgSmall = small.aggregate(AggregateKind.AVG, Txn::amount);
        Pattern<Txn> cardTesting = small
                .followedBy("large").where((t, ctx) -> t.amount() > 100 * ctx.aggregate(avgSmall))
                .within(Duration.ofMinutes(10));

        Nfa<Txn> nfa = Nfa.compile(cardTesting);
        NfaProcessor<Txn> processor = nfa.newProcessor();
        NfaState<Txn> state = nfa.newState();
        List<String> alerts = new ArrayList<>();
        long minute = 60_000;
        List<Txn> txns = List.of(
                new Txn("c1", 0.50, 0),
                new Txn("c1", 0.90, minute),
                new Txn("c1", 30.00, 2 * minute),
                new Txn("c1", 0.70, 3 * minute),
                new Txn("c1", 60.00, 4 * minute),      // not above 100 x avg(0.50, 0.90, 0.70) = 70
                new Txn("c1", 700.00, 5 * minute));
        for (Txn txn : txns) {
            processor.process(state, txn, txn.ts(), match -> alerts.add(match.eventsOf("small").size()
                    + " small then " + match.eventsOf("large").get(0).amount()));
        }
        // NO_SKIP: every run of at least three small amounts that the large one completes
        assertEquals(List.of("3 small then 700.0"), alerts);
    }
}
