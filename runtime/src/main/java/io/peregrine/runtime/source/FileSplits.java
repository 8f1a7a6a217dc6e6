package io.peregrine.runtime.source;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Files read one after another; {@code .gz} files are decompressed (offsets count decompressed bytes). */
final class FileSplits implements TextRecordReader.Splits {

    private final List<Path> files;

    FileSplits(List<Path> files) {
        this.files = List.copyOf(files);
    }

    @Override
    public int count() {
        return files.size();
    }

    @Override
    public String name(int split) {
        return files.get(split).getFileName().toString();
    }

    @Override
    public TextRecordReader.ByteInput open(int split, long offset) throws IOException {
        Path file = files.get(split);
        FileInputStream fis = new FileInputStream(file.toFile());
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                InputStream gz = new GZIPInputStream(fis, 1 << 16);
                gz.skipNBytes(offset);
                return new Blocking(gz);
            }
            if (offset > 0) {
                fis.getChannel().position(offset);
            }
            return new Blocking(fis);
        } catch (IOException | RuntimeException e) {
            fis.close();
            throw e;
        }
    }

    /** A blocking stream: never returns 0. */
    static final class Blocking implements TextRecordReader.ByteInput {
        private final InputStream in;

        Blocking(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r;
            do {
                r = in.read(b, off, len);
            } while (r == 0);
            return r;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
