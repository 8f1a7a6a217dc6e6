package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    static final Schema SCHEMA = Schema.builder().add("amount", DataType.DOUBLE).add("country", DataType.STRING)
            .add("merchant", DataType.BIGINT).add("price", DataType.decimal(10, 2)).build();

    @Test
    void compiledPredicatesFollowSqlSemantics() throws DslException {
        Predicate<Row> p = Expressions.predicate(SCHEMA, "amount < 1.00 AND country IN ('US', 'CA') AND merchant <> 42");
        assertTrue(p.test(Row.of(SCHEMA, 0.5, "US", 7L, "1.00")));
        assertFalse(p.test(Row.of(SCHEMA, 0.5, "GB", 7L, "1.00")));
        assertFalse(p.test(Row.of(SCHEMA, 0.5, "CA", 42L, "1.00")));
        assertFalse(p.test(Row.of(SCHEMA, 1.0, "CA", 7L, "1.00")));
        // NULL is not TRUE, in either polarity
        assertFalse(p.test(Row.of(SCHEMA, 0.5, null, 7L, "1.00")));
        assertFalse(Expressions.predicate(SCHEMA, "NOT (country = 'US')").test(Row.of(SCHEMA, 0.5, null, 7L, "1.00")));
        assertTrue(Expressions.predicate(SCHEMA, "country IS NULL OR price * 3 = 3.30").test(Row.of(SCHEMA, 0.5, null, 7L, "1.10")));
        assertTrue(Expressions.predicate(SCHEMA, "price * 3 = 3.30").test(Row.of(SCHEMA, 0.5, "US", 7L, "1.10")));
        assertTrue(Expressions.predicate(SCHEMA, "amount * 3 <> 3.30").test(Row.of(SCHEMA, 1.1, "US", 7L, "1.10")));
    }

    @Test
    void errorsAreDiagnostics() {
        DslException e = assertThrows(DslException.class, () -> Expressions.predicate(SCHEMA, "amout < 1"));
        assertEquals("did you mean 'amount'?", e.diagnostics().get(0).hint());
        assertThrows(DslException.class, () -> Expressions.predicate(SCHEMA, "amount <"));
        assertThrows(DslException.class, () -> Expressions.predicate(SCHEMA, "country"));
    }
}
