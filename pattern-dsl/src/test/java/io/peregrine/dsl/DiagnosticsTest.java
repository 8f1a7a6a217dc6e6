package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Errors of a program come out all at once, at line:column, with the line, a caret and a hint. */
class DiagnosticsTest {

    private static DslException fail(String program) {
        return assertThrows(DslException.class, () -> Programs.compile("fraud.cep", program));
    }

    private static final String STREAM = "CREATE STREAM tx (card STRING, amount DOUBLE, country STRING, ts TIMESTAMP(3),\n"
            + "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);\n";

    @Test
    void unknownColumnPointsAtItAndSuggestsTheClosest() {
        DslException e = fail(STREAM + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n"
                + "  PARTITION BY card ORDER BY ts MEASURES A.amount AS a PATTERN (A)\n"
                + "  DEFINE A AS A.amout < 1);");
        assertEquals(1, e.diagnostics().size());
        assertEquals("""
                fraud.cep:5:17: error: unknown column 'amout' in stream tx
                    DEFINE A AS A.amout < 1);
                                  ^^^^^
                  hint: did you mean 'amount'?""", e.diagnostics().get(0).render(e.source()));
    }

    @Test
    void everyErrorOfTheFileIsReported() {
        DslException e = fail(STREAM + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n"
                + "  PARTITION BY crad ORDER BY ts MEASURES A.amount AS a PATTERN (A B)\n"
                + "  DEFINE A AS A.country > 5, C AS C.amount > 1);");
        String message = e.getMessage();
        assertTrue(message.contains("fraud.cep:4:16: error: unknown column 'crad' in stream tx"), message);
        assertTrue(message.contains("fraud.cep:5:15: error: cannot compare STRING with INT"), message);
        assertTrue(message.contains("fraud.cep:5:30: error: DEFINE of 'C', which is not in the PATTERN"), message);
        assertTrue(message.endsWith("3 errors"), message);
    }

    @Test
    void unknownStreamAndType() {
        DslException e = fail("CREATE STREAM tx (card VARCHAR(10), ts TIMESTAMP(3), WATERMARK FOR ts AS ts);\n"
                + "CREATE PATTERN p AS SELECT * FROM txs MATCH_RECOGNIZE (ORDER BY ts PATTERN (A) DEFINE A AS TRUE);");
        assertEquals(2, e.diagnostics().size(), e.getMessage());
        assertEquals("write STRING (strings have no length limit)", e.diagnostics().get(0).hint());
        assertEquals("did you mean 'tx'?", e.diagnostics().get(1).hint());
    }

    @Test
    void aGreedyLoopThatMatchesEveryRowCannotEndThePattern() {
        DslException e = fail(STREAM + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n"
                + "  ORDER BY ts MEASURES A.amount AS a PATTERN (A B+) DEFINE A AS A.amount > 1);");
        assertEquals(1, e.diagnostics().size(), e.getMessage());
        assertEquals("a greedy B at the end of the pattern never ends: B matches every row", e.diagnostics().get(0).message());
        assertEquals("DEFINE B, or make it reluctant (B+?)", e.diagnostics().get(0).hint());
    }

    @Test
    void patternsNeedEventTime() {
        DslException e = fail("CREATE STREAM tx (card STRING, ts TIMESTAMP(3));\n"
                + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (ORDER BY ts PATTERN (A) DEFINE A AS TRUE);");
        assertEquals("stream tx has no event time", e.diagnostics().get(0).message());
    }
}
