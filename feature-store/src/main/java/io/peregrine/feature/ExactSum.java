package io.peregrine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A sum of doubles kept exactly, as a few non-overlapping partials (Shewchuk's algorithm, the one
 * behind Python's {@code math.fsum}), read as the correctly rounded exact sum. So a SUM, AVG or
 * VARIANCE does not depend on the order events arrived in or were merged, which is what makes
 * online values equal backfill values bit for bit. Non-finite inputs are summed apart (any
 * infinity or NaN decides the result as IEEE addition would); partial overflow is not handled.
 */
final class ExactSum {

    private double[] partials = new double[2];
    private int size;
    private double special;
    private boolean hasSpecial;

    void clear() {
        size = 0;
        special = 0;
        hasSpecial = false;
    }

    void add(double x) {
        if (!Double.isFinite(x)) {
            special = hasSpecial ? special + x : x;
            hasSpecial = true;
            return;
        }
        int i = 0;
        double[] p = partials;
        for (int j = 0; j < size; j++) {
            double y = p[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                p[i++] = lo;
            }
            x = hi;
        }
        if (i == p.length) {
            partials = p = Arrays.copyOf(p, p.length * 2);
        }
        p[i++] = x;
        size = i;
    }

    void addAll(ExactSum other) {
        for (int j = 0; j < other.size; j++) {
            add(other.partials[j]);
        }
        if (other.hasSpecial) {
            add(other.special);
        }
    }

    /** Adds {@code a * b} exactly (as the rounded product and its rounding error). */
    void addProduct(double a, double b) {
        double p = a * b;
        if (!Double.isFinite(p)) {
            add(p);
            return;
        }
        add(p);
        add(Math.fma(a, b, -p));
    }

    /** Adds {@code -(this sum) ^ 2} exactly to {@code into} (pairwise products of the partials). */
    void subtractSquareFrom(ExactSum into) {
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                into.addProduct(-partials[i], partials[j]);
            }
        }
        if (hasSpecial) {
            into.add(-special * special);
        }
    }

    /** Adds {@code factor * (this sum)} exactly to {@code into}. */
    void scaleInto(double factor, ExactSum into) {
        for (int i = 0; i < size; i++) {
            into.addProduct(factor, partials[i]);
        }
        if (hasSpecial) {
            into.add(factor * special);
        }
    }

    /** The exact sum, correctly rounded to a double. */
    double value() {
        if (hasSpecial) {
            return special;
        }
        int n = size;
        if (n == 0) {
            return 0.0;
        }
        double[] p = partials;
        double hi = p[--n];
        double lo = 0;
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // round half-even across the remaining partials, as fsum does
        if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
            double y = lo * 2;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }

    void write(DataOutput out) throws IOException {
        out.writeBoolean(hasSpecial);
        out.writeDouble(special);
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeDouble(partials[i]);
        }
    }

    void read(DataInput in) throws IOException {
        clear();
        boolean sp = in.readBoolean();
        double s = in.readDouble();
        int n = in.readInt();
        if (n < 0 || n > 4096) {
            throw new IOException("exact sum with " + n + " partials");
        }
        for (int i = 0; i < n; i++) {
            add(in.readDouble());
        }
        if (sp) {
            add(s);
        }
    }
}
