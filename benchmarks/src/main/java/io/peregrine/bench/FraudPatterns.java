package io.peregrine.bench;

import io.peregrine.cep.EventRef;
import io.peregrine.cep.Pattern;
import java.time.Duration;
import java.util.List;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The three fraud patterns, each defined once for cep-core and once for FlinkCEP with the same
 * elements, contiguity, quantifiers, windows and after-match skip strategy (NO_SKIP, the default of
 * both Java APIs).
 */
public enum FraudPatterns {

    /** A small amount followed (relaxed) by a large one within 10 minutes. */
    SMALL_THEN_LARGE("small-then-large") {
        @Override
        public Pattern<Txn> peregrine() {
            return Pattern.<Txn>begin("small", io.peregrine.cep.AfterMatchSkipStrategy.noSkip())
                    .where(Txn::isSmall)
                    .followedBy("large").where(Txn::isLarge)
                    .within(Duration.ofMinutes(10));
        }

        @Override
        public org.apache.flink.cep.pattern.Pattern<Txn, Txn> flink() {
            return org.apache.flink.cep.pattern.Pattern.<Txn>begin("small", flinkSkip())
                    .where(SimpleCondition.of(Txn::isSmall))
                    .followedBy("large").where(SimpleCondition.of(Txn::isLarge))
                    .within(Duration.ofMinutes(10));
        }
    },

    /** Card testing: three small amounts (times(3), relaxed inside) then a large one, within 10 minutes. */
    CARD_TESTING("card-testing") {
        @Override
        public Pattern<Txn> peregrine() {
            return Pattern.<Txn>begin("small", io.peregrine.cep.AfterMatchSkipStrategy.noSkip())
                    .where(Txn::isSmall).times(3)
                    .followedBy("large").where(Txn::isLarge)
                    .within(Duration.ofMinutes(10));
        }

        @Override
        public org.apache.flink.cep.pattern.Pattern<Txn, Txn> flink() {
            return org.apache.flink.cep.pattern.Pattern.<Txn>begin("small", flinkSkip())
                    .where(SimpleCondition.of(Txn::isSmall)).times(3)
                    .followedBy("large").where(SimpleCondition.of(Txn::isLarge))
                    .within(Duration.ofMinutes(10));
        }
    },

    /**
     * Geo-velocity: any transaction followed (relaxed) by one in another country within 1 hour. An
     * iterative condition compares with the first element's event: cep-core reads it through an
     * {@link EventRef} in O(1), FlinkCEP through {@code ctx.getEventsForPattern("first")}.
     */
    GEO_VELOCITY("geo-velocity") {
        @Override
        public Pattern<Txn> peregrine() {
            Pattern<Txn> first = Pattern.begin("first", io.peregrine.cep.AfterMatchSkipStrategy.noSkip());
            EventRef<Txn> firstTxn = first.firstEvent();
            return first.followedBy("other")
                    .where((t, ctx) -> !ctx.event(firstTxn).country().equals(t.country()))
                    .within(Duration.ofHours(1));
        }

        @Override
        public org.apache.flink.cep.pattern.Pattern<Txn, Txn> flink() {
            return org.apache.flink.cep.pattern.Pattern.<Txn>begin("first", flinkSkip())
                    .followedBy("other").where(new OtherCountry())
                    .within(Duration.ofHours(1));
        }
    };

    /** FlinkCEP's iterative condition: the first element's event is read from the shared buffer. */
    static final class OtherCountry extends IterativeCondition<Txn> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Txn t, Context<Txn> ctx) throws Exception {
            for (Txn first : ctx.getEventsForPattern("first")) {
                return !first.country().equals(t.country());
            }
            return false;
        }
    }

    public static final String SKIP_STRATEGY = "NO_SKIP";

    private final String label;

    FraudPatterns(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public abstract Pattern<Txn> peregrine();

    public abstract org.apache.flink.cep.pattern.Pattern<Txn, Txn> flink();

    static org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy flinkSkip() {
        return org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.noSkip();
    }

    public static FraudPatterns byLabel(String label) {
        for (FraudPatterns p : values()) {
            if (p.label.equalsIgnoreCase(label) || p.name().equalsIgnoreCase(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pattern '" + label + "', expected one of "
                + List.of(values()).stream().map(FraudPatterns::label).toList());
    }
}
