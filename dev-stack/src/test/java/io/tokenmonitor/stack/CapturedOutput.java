package io.tokenmonitor.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything written to {@code System.out} and {@code System.err} while it is open, still passing it
 * on. slf4j-simple, the launcher's logging binding, looks up {@code System.err} on every line, so the
 * copy of stderr holds the log.
 */
final class CapturedOutput implements AutoCloseable {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CapturedOutput() {
        System.setOut(new PrintStream(new Tee(originalOut, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, err), true, StandardCharsets.UTF_8));
    }

    /** Returns what was written to stdout so far. */
    String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Returns what was written to stderr, the log, so far. */
    String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** Writes to the original stream and to the copy. */
    private static final class Tee extends OutputStream {

        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
            try {
                original.write(bytes, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}
