package io.peregrine.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A live input (standard input, a pipe) read by a daemon thread into a small queue of chunks, so
 * that the job's reader thread never blocks on it: {@link #read} returns 0 when nothing has come
 * yet, which lets the watermark of a quiet input go idle.
 */
final class AsyncInput implements TextRecordReader.ByteInput {

    private static final byte[] EOF = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private volatile IOException failure;
    private byte[] current;
    private int at;
    private boolean done;

    AsyncInput(String name, InputStream in) {
        this.thread = new Thread(() -> pump(in), "peregrine-input-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[1 << 16];
        try {
            while (true) {
                int r = in.read(buf);
                if (r < 0) {
                    break;
                }
                if (r > 0) {
                    chunks.put(Arrays.copyOf(buf, r));
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            chunks.put(EOF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (current == null || at == current.length) {
            current = chunks.poll();
            at = 0;
            if (current == null) {
                return 0;
            }
            if (current == EOF) {
                done = true;
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
        }
        int n = Math.min(len, current.length - at);
        System.arraycopy(current, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
    }
}
