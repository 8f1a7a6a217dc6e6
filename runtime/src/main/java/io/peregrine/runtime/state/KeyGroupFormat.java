package io.peregrine.runtime.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The portable snapshot format of keyed state, shared by every backend so that a snapshot written
 * by one restores into another:
 *
 * <pre>
 * snapshot  = int magic "PGKS", byte version (1), varint state count, state*   (states by name)
 * state     = UTF name, varint group count, group*                              (groups ascending)
 * group     = varint key group, varint entry count, entry*                      (entries by key, unsigned)
 * entry     = varint key length, key bytes, varint value length, value bytes    (value in its codec's format)
 * </pre>
 * Empty key groups are not written. Equal state gives equal bytes.
 */
public final class KeyGroupFormat {

    public static final int MAGIC = 0x50474B53;
    public static final int CURRENT_VERSION = 1;

    private KeyGroupFormat() {}

    /** A key and its serialized value. */
    public record Entry(byte[] key, byte[] value) {}

    public static void writeHeader(DataOutput out, int stateCount) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(CURRENT_VERSION);
        writeVarint(out, stateCount);
    }

    /** @return the number of states that follow */
    public static int readHeader(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a keyed state snapshot (magic " + Integer.toHexString(magic) + ")");
        }
        int version = in.readUnsignedByte();
        if (version < 1 || version > CURRENT_VERSION) {
            throw new IOException("unknown keyed state snapshot version " + version + " (this build reads 1.."
                    + CURRENT_VERSION + ")");
        }
        return readVarint(in);
    }

    /** Writes one key group's entries, sorting them by key first. */
    public static void writeGroup(DataOutput out, int keyGroup, List<Entry> entries) throws IOException {
        Entry[] sorted = entries.toArray(new Entry[0]);
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.key, b.key));
        writeVarint(out, keyGroup);
        writeVarint(out, sorted.length);
        for (Entry e : sorted) {
            writeVarint(out, e.key.length);
            out.write(e.key);
            writeVarint(out, e.value.length);
            out.write(e.value);
        }
    }

    public static void writeVarint(DataOutput out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarint(DataInput in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw new IOException("negative length in snapshot");
                }
                return result;
            }
        }
        throw new IOException("malformed varint in snapshot");
    }

    public static byte[] readBytes(DataInput in) throws IOException {
        byte[] b = new byte[readVarint(in)];
        in.readFully(b);
        return b;
    }
}
