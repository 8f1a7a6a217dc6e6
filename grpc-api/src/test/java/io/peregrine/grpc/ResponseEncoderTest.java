package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.v1.FeatureType;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The direct encoder writes exactly the bytes the generated message would. */
class ResponseEncoderTest {

    @Property(tries = 300)
    void encodesLikeTheGeneratedMessage(@ForAll("responses") FeatureResponse r, @ForAll("typeLists") List<FeatureType> types) {
        byte[] expected = FeatureServiceImpl.message(r, types).toByteArray();
        byte[] actual = ResponseEncoder.encode(ResponseEncoder.header(r.featureSet(), r.features(), types), r);
        assertArrayEquals(expected, actual);
    }

    @Test
    void aKnownResponseParsesBack() throws Exception {
        FeatureResponse r = new FeatureResponse("card_features", List.of("n", "avg", "last", "ok"), List.of(
                new KeyFeatures("c1", true, 0L, List.of(FeatureValue.present(3L), FeatureValue.present(-2.5),
                        FeatureValue.present(List.of("a", "é")), FeatureValue.present(false))),
                new KeyFeatures("c2", false, Long.MIN_VALUE, List.of(FeatureValue.notFound(), FeatureValue.notFound(),
                        FeatureValue.outOfWindow(), FeatureValue.notFound()))), 2_000L, -5L);
        List<FeatureType> types = List.of(FeatureType.BIGINT, FeatureType.DOUBLE, FeatureType.LIST, FeatureType.BOOLEAN);
        GetFeaturesResponse parsed = GetFeaturesResponse.parseFrom(
                ResponseEncoder.encode(ResponseEncoder.header(r.featureSet(), r.features(), types), r));
        assertEquals(FeatureServiceImpl.message(r, types), parsed);
        assertEquals(0L, parsed.getRows(0).getLastEventMillis());
        assertEquals(true, parsed.getRows(0).hasLastEventMillis());
        assertEquals(false, parsed.getRows(1).hasLastEventMillis());
        assertEquals(List.of("a", "é"), ProtoValues.toJava(parsed.getRows(0).getValues(2).getValue()));
        assertEquals(false, parsed.getRows(0).getValues(3).getValue().getBoolValue());
        assertEquals(true, parsed.getRows(0).getValues(3).getValue().hasBoolValue());
        assertEquals(-5L, parsed.getWatermarkMillis());
    }

    @Provide
    Arbitrary<List<FeatureType>> typeLists() {
        return Arbitraries.of(Arrays.stream(FeatureType.values()).filter(t -> t != FeatureType.UNRECOGNIZED).toList())
                .list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<FeatureResponse> responses() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abc_é€\uD83D\uDE00").ofMaxLength(6);
        Arbitrary<Long> millis = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        Arbitrary<KeyFeatures> rows = Combinators.combine(names, Arbitraries.of(true, false), millis, values().list().ofMaxSize(12))
                .as((k, found, last, v) -> new KeyFeatures(k, found, found ? last : Long.MIN_VALUE, v));
        return Combinators.combine(names, names.list().ofMaxSize(12), rows.list().ofMaxSize(20), millis, millis)
                .as(FeatureResponse::new);
    }

    private Arbitrary<FeatureValue> values() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, 0.0).map(d -> (Object) d),
                Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.bigDecimals().ofScale(3).map(d -> (Object) d),
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(l -> (Object) Instant.ofEpochMilli(l)));
        Arbitrary<Object> list = scalar.injectNull(0.1).list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<FeatureValue> present = Arbitraries.oneOf(scalar, list).injectNull(0.05).map(FeatureValue::present);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, present),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(FeatureValue.notFound())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(FeatureValue.outOfWindow())));
    }
}
