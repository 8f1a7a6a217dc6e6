package io.peregrine.runtime.state;

import io.peregrine.cep.EventSerializer;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rows of one schema in persisted state (inside NFA state and buffered events). Per column a tag
 * byte (0 null, 1 value), then the value: 8 bytes for every non-string type (DOUBLE as its bits),
 * a varint length and UTF-8 bytes for STRING. The schema is not written: the operator that owns the
 * state knows it.
 */
public final class RowSerializer implements EventSerializer<Row> {

    private final Schema schema;
    private final boolean[] strings;
    private final RowBuilder builder;

    public RowSerializer(Schema schema) {
        this.schema = schema;
        this.strings = new boolean[schema.size()];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = schema.column(i).type().kind() == DataType.Kind.STRING;
        }
        this.builder = new RowBuilder(schema);
    }

    @Override
    public void write(Row row, DataOutput out) throws IOException {
        for (int i = 0; i < strings.length; i++) {
            if (row.isNull(i)) {
                out.writeByte(0);
                continue;
            }
            out.writeByte(1);
            if (strings[i]) {
                byte[] b = row.getString(i).getBytes(StandardCharsets.UTF_8);
                KeyGroupFormat.writeVarint(out, b.length);
                out.write(b);
            } else {
                out.writeLong(row.getLong(i));
            }
        }
    }

    @Override
    public Row read(DataInput in) throws IOException {
        for (int i = 0; i < strings.length; i++) {
            int tag = in.readUnsignedByte();
            if (tag == 0) {
                builder.setNull(i);
            } else if (tag != 1) {
                throw new IOException("bad column tag " + tag + " for column " + schema.column(i).name());
            } else if (strings[i]) {
                builder.setString(i, new String(KeyGroupFormat.readBytes(in), StandardCharsets.UTF_8));
            } else {
                builder.setLong(i, in.readLong());
            }
        }
        return builder.build();
    }
}
