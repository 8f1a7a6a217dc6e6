package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureKeyState;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.FeatureType;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CREATE FEATURES compiles to feature-store definitions whose compiled extractors and filters read rows. */
class FeaturesLanguageTest {

    private static final String STREAM = "CREATE STREAM tx (card STRING, amount DOUBLE, merchant BIGINT, country STRING,\n"
            + "  price DECIMAL(10, 2), ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);\n";

    private static DslException fail(String program) {
        return assertThrows(DslException.class, () -> Programs.compile("f.cep", program));
    }

    @Test
    void shouldCompileEveryAggregateAndWindowAndComputeFromRows() throws DslException {
        Program p = Programs.compile("f.cep", STREAM + """
                CREATE FEATURES card_features ON tx KEY card (
                  n_1m      = COUNT(*) OVER SLIDING INTERVAL '1' MINUTE,
                  big_1m    = COUNT(*) FILTER (WHERE amount > 100) OVER SLIDING INTERVAL '1' MINUTE,
                  total     = SUM(amount),
                  cents     = SUM(price * 100),
                  merchants = COUNT(DISTINCT merchant),
                  approx    = APPROX_COUNT_DISTINCT(merchant) OVER HOPPING INTERVAL '2' MINUTE EVERY INTERVAL '1' MINUTE,
                  p50       = APPROX_PERCENTILE(amount, 0.5),
                  last3     = LAST_N(country, 3),
                  first_c   = FIRST(country),
                  sd        = STDDEV(amount),
                  since     = TIME_SINCE_LAST()
                );""");
        assertEquals(1, p.featureSets().size());
        FeatureSetDefinition<Row> set = p.featureSets().get(0);
        assertEquals("card", set.keyColumn());
        assertEquals("tx", set.stream());
        assertEquals(List.of(FeatureType.BIGINT, FeatureType.BIGINT, FeatureType.DOUBLE, FeatureType.DOUBLE,
                FeatureType.BIGINT, FeatureType.BIGINT, FeatureType.DOUBLE, FeatureType.LIST, FeatureType.STRING,
                FeatureType.DOUBLE, FeatureType.DURATION), set.info().features().stream().map(f -> f.type()).toList());
        assertEquals(new Window.Sliding(60_000), set.features().get(0).window());
        assertEquals(new Window.Hopping(120_000, 60_000), set.features().get(5).window());
        assertEquals("big_1m = COUNT(*) FILTER (WHERE amount > 100) OVER SLIDING INTERVAL '1' MINUTE",
                set.info().features().get(1).definition());

        var schema = p.stream("tx").orElseThrow().schema();
        FeatureKeyState<Row> state = set.newKeyState();
        state.add(Row.of(schema, "c1", 50.0, 7L, "US", new java.math.BigDecimal("12.50"), 1_000L), 1_000L);
        state.add(Row.of(schema, "c1", 150.0, 8L, "CA", new java.math.BigDecimal("2.50"), 30_000L), 30_000L);
        state.add(Row.of(schema, "c1", 10.0, 7L, "FR", new java.math.BigDecimal("1.00"), 20_000L), 20_000L);
        long t = 70_000;
        assertEquals(FeatureValue.present(2L), state.value(0, t));   // 1_000 left the minute
        assertEquals(FeatureValue.present(1L), state.value(1, t));
        assertEquals(FeatureValue.present(210.0), state.value(2, t));
        assertEquals(FeatureValue.present(1600.0), state.value(3, t));
        assertEquals(FeatureValue.present(2L), state.value(4, t));
        assertEquals(FeatureValue.present(2L), state.value(5, t));   // hop ended at 60_000: (-60_000, 60_000]
        assertEquals(FeatureValue.present(50.0), state.value(6, t));
        assertEquals(FeatureValue.present(List.of("US", "FR", "CA")), state.value(7, t));
        assertEquals(FeatureValue.present("US"), state.value(8, t));
        assertEquals(FeatureValue.present(Math.sqrt(((50 - 70.0) * (50 - 70.0) + 80.0 * 80.0 + 60.0 * 60.0) / 2)),
                state.value(9, t));
        assertEquals(FeatureValue.present(40_000L), state.value(10, t));
    }

    @Test
    void shouldCompileFeaturesOverAPatternsRows() throws DslException {
        Program p = Programs.compile("f.cep", STREAM + """
                CREATE PATTERN big AS SELECT * FROM tx MATCH_RECOGNIZE (PARTITION BY card ORDER BY ts
                  MEASURES A.amount AS amount PATTERN (A) DEFINE A AS A.amount > 100);
                CREATE FEATURES big_features ON big KEY card (bigs_1h = COUNT(*) OVER SLIDING INTERVAL '1' HOUR,
                  biggest = MAX(amount));""");
        assertEquals("big", p.featureSets().get(0).stream());
        assertEquals(FeatureType.DOUBLE, p.featureSets().get(0).info().features().get(1).type());
    }

    @Test
    void shouldReportEveryProblemAtItsPlaceWithAHint() {
        DslException e = fail(STREAM + """
                CREATE FEATURES f ON tx KEY crad (
                  a = SUMM(amount),
                  b = SUM(country),
                  c = AVG(amout) OVER SLIDING INTERVAL '0' MINUTE,
                  d = COUNT(*) OVER HOPPING INTERVAL '90' MINUTE EVERY INTERVAL '1' HOUR,
                  e = LAST_N(country, 0),
                  g = COUNT(*) FILTER (WHERE country > 5)
                );
                CREATE FEATURES h ON txs KEY card (n = COUNT(*));""");
        String m = e.getMessage();
        assertTrue(m.contains("f.cep:3:29: error: unknown column 'crad' in KEY"), m);
        assertTrue(m.contains("f.cep:4:7: error: unknown aggregate SUMM"), m);
        assertTrue(m.contains("hint: did you mean 'SUM'?"), m);
        assertTrue(m.contains("f.cep:5:11: error: SUM needs a BIGINT or DOUBLE argument, not STRING"), m);
        assertTrue(m.contains("f.cep:6:11: error: unknown column 'amout'"), m);
        assertTrue(m.contains("f.cep:7:56: error: a hopping window's size (5400000 ms) must be a whole number of hops (3600000 ms)"), m);
        assertTrue(m.contains("f.cep:8:23: error: LAST_N's count must be an integer literal in 1..1000"), m);
        assertTrue(m.contains("f.cep:9:30: error: cannot compare STRING with INT"), m);
        assertTrue(m.contains("f.cep:11:22: error: unknown stream or pattern 'txs'"), m);
        assertTrue(m.contains("hint: did you mean 'tx'?"), m);
        assertTrue(m.endsWith("9 errors"), m);
    }

    @Test
    void shouldRejectAZeroWindow() {
        DslException e = fail(STREAM + "CREATE FEATURES f ON tx KEY card (a = COUNT(*) OVER SLIDING INTERVAL '0' MINUTE);");
        assertEquals("a window size must be positive, not 0 ms", e.diagnostics().get(0).message());
    }
}
