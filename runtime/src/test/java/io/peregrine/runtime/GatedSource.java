package io.peregrine.runtime;

import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourcePosition;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

final class GatedSource {

    private GatedSource() {}

    /** A source that stops once after {@code at} records until released (so a savepoint lands mid-input). */
    static Source gate(Source inner, long at, CountDownLatch reached, CountDownLatch release) {
        return new Source() {
            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public RecordReader open(StreamDef stream, SourcePosition from) {
                RecordReader r = inner.open(stream, from);
                return new RecordReader() {
                    long read;

                    @Override
                    public int read(RecordBatch batch, int max) throws IOException {
                        if (read >= at && release.getCount() > 0) {
                            reached.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new IOException("interrupted", e);
                            }
                        }
                        int n = r.read(batch, max);
                        read += Math.max(n, 0);
                        return n;
                    }

                    @Override
                    public SourcePosition position() {
                        return r.position();
                    }

                    @Override
                    public void close() throws IOException {
                        r.close();
                    }
                };
            }
        };
    }

}
