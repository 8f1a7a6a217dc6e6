package io.peregrine.bench;

/**
 * A card transaction. A public record with Flink-supported field types, so FlinkCEP serializes it
 * with its POJO/record serializer (no Kryo). {@code country} values are interned constants.
 *
 * @param cardId the key
 * @param amount in the card's currency; small is {@code < 1.00}, large is {@code > 500}
 * @param country ISO code
 * @param merchantId merchant
 * @param ts event time, epoch milliseconds
 */
public record Txn(long cardId, double amount, String country, long merchantId, long ts) {

    public static final double SMALL = 1.00;
    public static final double LARGE = 500.0;

    public boolean isSmall() {
        return amount < SMALL;
    }

    public boolean isLarge() {
        return amount > LARGE;
    }
}
