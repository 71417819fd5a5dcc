package org.tensorscope.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A static tensor shape; a dimension of {@value #UNKNOWN} is not known before running.
 * A shape of unknown rank has {@code dims == null}.
 */
public record Shape(long[] dims) {

    public static final long UNKNOWN = -1;

    private static final Shape UNKNOWN_RANK = new Shape(null);

    public Shape {
        dims = dims == null ? null : dims.clone();
    }

    public static Shape of(long... dims) {
        return new Shape(dims);
    }

    public static Shape unknownRank() {
        return UNKNOWN_RANK;
    }

    @Override
    public long[] dims() {
        return dims == null ? null : dims.clone();
    }

    public boolean hasKnownRank() {
        return dims != null;
    }

    public int rank() {
        return dims == null ? -1 : dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    /** Whether every dimension is known. */
    public boolean isFullyDefined() {
        if (dims == null) {
            return false;
        }
        for (long d : dims) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    /** The number of elements, or -1 when some dimension is unknown. */
    public long numElements() {
        if (!isFullyDefined()) {
            return -1;
        }
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Whether a concrete shape fits this (possibly partial) one. */
    public boolean accepts(Shape concrete) {
        if (dims == null) {
            return true;
        }
        if (concrete.dims == null || concrete.dims.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] >= 0 && dims[i] != concrete.dims[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** E.g. "[1,256,256,3]", "[?,5]" or "<unknown rank>". */
    @Override
    public String toString() {
        if (dims == null) {
            return "<unknown rank>";
        }
        return Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : Long.toString(d))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
