package io.peregrine.runtime.source;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;

/** {@link TransactionGenerator} as a source of rows for a stream whose columns it knows. */
final class GeneratorSource implements Source {

    private static final int CARD_TEXT = 0;
    private static final int CARD_NUMBER = 1;
    private static final int AMOUNT_DOUBLE = 2;
    private static final int AMOUNT_DECIMAL = 3;
    private static final int MERCHANT_NUMBER = 4;
    private static final int MERCHANT_TEXT = 5;
    private static final int COUNTRY = 6;
    private static final int TS = 7;
    static final long CARD_BASE = 4_000_000_000_000_000L;

    private final TransactionGenerator.Config config;

    GeneratorSource(TransactionGenerator.Config config) {
        this.config = config;
    }

    @Override
    public String describe() {
        return "generator(seed=" + config.seed() + ")";
    }

    @Override
    public RecordReader open(StreamDef stream, SourcePosition from) {
        Schema schema = stream.schema();
        int[] binding = new int[schema.size()];
        long[] factor = new long[schema.size()];
        for (Column c : schema.columns()) {
            DataType.Kind k = c.type().kind();
            int b;
            switch (c.name()) {
                case "card_id":
                    b = k == DataType.Kind.STRING ? CARD_TEXT : k == DataType.Kind.BIGINT ? CARD_NUMBER : -1;
                    break;
                case "amount":
                    b = k == DataType.Kind.DOUBLE ? AMOUNT_DOUBLE
                            : k == DataType.Kind.DECIMAL && c.type().scale() >= 2 && c.type().precision() >= 9 ? AMOUNT_DECIMAL : -1;
                    if (b == AMOUNT_DECIMAL) {
                        factor[c.index()] = (long) Math.pow(10, c.type().scale() - 2);
                    }
                    break;
                case "merchant_id":
                    b = k == DataType.Kind.BIGINT || k == DataType.Kind.INT ? MERCHANT_NUMBER
                            : k == DataType.Kind.STRING ? MERCHANT_TEXT : -1;
                    break;
                case "country":
                    b = k == DataType.Kind.STRING ? COUNTRY : -1;
                    break;
                case "ts":
                    b = k == DataType.Kind.TIMESTAMP || k == DataType.Kind.BIGINT ? TS : -1;
                    break;
                default:
                    throw new SourceException(describe() + " cannot fill column '" + c.name() + "' of stream "
                            + stream.name() + " (it fills " + TransactionGenerator.SCHEMA + ")");
            }
            if (b < 0) {
                throw new SourceException(describe() + " cannot fill column '" + c.name() + "' of type " + c.type()
                        + " (card_id STRING|BIGINT, amount DOUBLE|DECIMAL(p>=9, s>=2), merchant_id INT|BIGINT|STRING,"
                        + " country STRING, ts TIMESTAMP|BIGINT)");
            }
            binding[c.index()] = b;
        }
        TransactionGenerator gen = new TransactionGenerator(config);
        long start = from == null ? 0 : from.offset();
        gen.skip(start);
        return new Reader(gen, new RowBuilder(schema), binding, factor, start, describe());
    }

    @Override
    public String toString() {
        return describe();
    }

    private static final class Reader implements RecordReader {
        private final TransactionGenerator gen;
        private final RowBuilder builder;
        private final int[] binding;
        private final long[] factor;
        private final String name;
        private long next;

        Reader(TransactionGenerator gen, RowBuilder builder, int[] binding, long[] factor, long next, String name) {
            this.gen = gen;
            this.builder = builder;
            this.binding = binding;
            this.factor = factor;
            this.next = next;
            this.name = name;
        }

        @Override
        public int read(RecordBatch batch, int max) {
            batch.startRows(0, name);
            int n = 0;
            while (n < max && gen.next()) {
                for (int i = 0; i < binding.length; i++) {
                    switch (binding[i]) {
                        case CARD_TEXT:
                            builder.setString(i, TransactionGenerator.cardId(gen.card()));
                            break;
                        case CARD_NUMBER:
                            builder.setLong(i, CARD_BASE + gen.card());
                            break;
                        case AMOUNT_DOUBLE:
                            builder.setDouble(i, gen.amountCents() / 100.0);
                            break;
                        case AMOUNT_DECIMAL:
                            builder.setLong(i, gen.amountCents() * factor[i]);
                            break;
                        case MERCHANT_NUMBER:
                            builder.setLong(i, gen.merchant());
                            break;
                        case MERCHANT_TEXT:
                            builder.setString(i, Long.toString(gen.merchant()));
                            break;
                        case COUNTRY:
                            builder.setString(i, gen.countryCode());
                            break;
                        default:
                            builder.setLong(i, gen.timestamp());
                            break;
                    }
                }
                batch.addRow(builder.build(), next++);
                n++;
            }
            return n == 0 ? END : n;
        }

        @Override
        public SourcePosition position() {
            return new SourcePosition(0, name, next, next + 1);
        }

        @Override
        public void close() {}
    }
}
