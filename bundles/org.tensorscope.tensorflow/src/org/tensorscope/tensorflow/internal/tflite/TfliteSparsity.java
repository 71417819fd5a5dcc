package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Table {@code SparsityParameters}: how a sparse constant's stored values fill its dense shape, as TFLite's
 * {@code FormatConverter} reads it. The dense dimensions and the blocks they are cut into ({@code block_map}) are
 * walked in {@code traversal_order}, one level each: a dense level visits every coordinate, a CSR level the
 * coordinates its {@code array_segments} and {@code array_indices} list for the position reached so far. Each leaf
 * takes the next stored value; every other element is zero. A stranger's file is checked before anything is
 * written: the levels must match the shape, every coordinate lie inside it and the values be exactly as many as the
 * leaves.
 */
final class TfliteSparsity extends FlatTable {

    private static final int DENSE = 0;
    private static final int SPARSE_CSR = 1;
    /** Levels are walked recursively: a file cannot ask for more than this. */
    private static final int MAX_LEVELS = 32;

    TfliteSparsity(ByteBuffer file, int position) {
        super(file, position);
    }

    /** One level of the traversal: table {@code DimensionMetadata}. */
    private static final class Level extends FlatTable {

        Level(ByteBuffer file, int position) {
            super(file, position);
        }

        int format() {
            return int8(0, (byte) DENSE);
        }

        int denseSize() {
            return int32(1, 0);
        }

        int[] segments() {
            return indexVector(2, 3);
        }

        int[] indices() {
            return indexVector(4, 5);
        }

        /** Union {@code SparseIndexVector}: Int32Vector (1), Uint16Vector (2) or Uint8Vector (3), each a table. */
        private int[] indexVector(int typeField, int valueField) {
            int type = int8(typeField, (byte) 0);
            int at = table(valueField);
            if (at == 0) {
                return new int[0];
            }
            IndexVector vector = new IndexVector(file(), at);
            return switch (type) {
                case 1 -> vector.ints(0);
                case 2 -> vector.unsignedShorts(0);
                case 3 -> vector.unsignedBytes(0);
                default -> throw new IllegalArgumentException("a sparse index list of unknown kind " + type);
            };
        }
    }

    private static final class IndexVector extends FlatTable {

        IndexVector(ByteBuffer file, int position) {
            super(file, position);
        }
    }

    /**
     * The dense bytes of a constant whose {@code stored} values ({@code elementSize} bytes each, little-endian)
     * this sparsity places in {@code shape}.
     *
     * @throws IllegalArgumentException naming the constant, when the sparsity does not fit the shape or the values
     */
    ByteBuffer densify(String name, ByteBuffer stored, int elementSize, int[] shape) {
        int rank = shape.length;
        int[] order = ints(0);
        int[] blockMap = ints(1);
        int levels = length(2, 4);
        int depth = rank + blockMap.length;
        if (depth > MAX_LEVELS) {
            throw problem(name, "its sparsity has " + depth + " levels, more than the " + MAX_LEVELS + " read");
        }
        if (order.length != depth || levels != depth) {
            throw problem(name, "its sparsity has " + order.length + " traversal entries and " + levels
                    + " levels for " + rank + " dimensions and " + blockMap.length + " blocked ones");
        }
        Level[] level = new Level[depth];
        for (int l = 0; l < depth; l++) {
            level[l] = new Level(file(), table(2, l));
        }
        int[] blockSize = new int[blockMap.length];
        int[] blocksOf = new int[rank];
        Arrays.fill(blocksOf, 1);
        for (int b = 0; b < blockMap.length; b++) {
            blockSize[b] = level[rank + b].denseSize();
            if (blockMap[b] < 0 || blockMap[b] >= rank || blockSize[b] <= 0 || blocksOf[blockMap[b]] != 1
                    || shape[blockMap[b]] % blockSize[b] != 0) {
                throw problem(name, "block " + b + " of size " + blockSize[b] + " does not divide a dimension of "
                        + Arrays.toString(shape));
            }
            blocksOf[blockMap[b]] = blockSize[b];
        }
        // the size each level's coordinate ranges over
        int[] size = new int[depth];
        boolean[] seen = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            int dim = order[l];
            if (dim < 0 || dim >= depth || seen[dim] || l < rank != dim < rank) {
                throw problem(name, "its traversal order " + Arrays.toString(order) + " is not one of its "
                        + rank + " dimensions followed by its blocks");
            }
            seen[dim] = true;
            size[l] = dim < rank ? shape[dim] / blocksOf[dim] : blockSize[dim - rank];
            if (level[l].format() == DENSE && level[l].denseSize() != size[l]) {
                throw problem(name, "level " + l + " is dense over " + level[l].denseSize() + " where the shape "
                        + Arrays.toString(shape) + " has " + size[l]);
            }
            if (level[l].format() != DENSE && level[l].format() != SPARSE_CSR) {
                throw problem(name, "level " + l + " has an unknown format " + level[l].format());
            }
        }
        long elements = 1;
        for (int d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        if (elements * elementSize > Integer.MAX_VALUE - 8) {
            throw problem(name, "its dense shape " + Arrays.toString(shape) + " is too large to hold");
        }
        Walk walk = new Walk(name, shape, order, blockMap, blockSize, size, level, stored, elementSize,
                ByteBuffer.allocate((int) (elements * elementSize)).order(ByteOrder.LITTLE_ENDIAN));
        walk.visit(0, 0);
        if (walk.taken != stored.remaining() / elementSize || stored.remaining() % elementSize != 0) {
            throw problem(name, "it stores " + stored.remaining() / elementSize + " values where its sparsity places "
                    + walk.taken);
        }
        return walk.dense;
    }

    private static IllegalArgumentException problem(String name, String what) {
        return new IllegalArgumentException("sparse constant " + name + " cannot be read: " + what);
    }

    /** The depth-first walk of {@link #densify}: coordinates in traversal order, the next stored value at each leaf. */
    private static final class Walk {

        final String name;
        final int[] shape, order, blockMap, blockSize, size;
        final Level[] level;
        final int[][] segments, indices;
        final ByteBuffer stored;
        final int elementSize;
        final ByteBuffer dense;
        final int[] coordinate;
        long taken;

        Walk(String name, int[] shape, int[] order, int[] blockMap, int[] blockSize, int[] size, Level[] level,
                ByteBuffer stored, int elementSize, ByteBuffer dense) {
            this.name = name;
            this.shape = shape;
            this.order = order;
            this.blockMap = blockMap;
            this.blockSize = blockSize;
            this.size = size;
            this.level = level;
            this.stored = stored.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.elementSize = elementSize;
            this.dense = dense;
            this.coordinate = new int[level.length];
            segments = new int[level.length][];
            indices = new int[level.length][];
            for (int l = 0; l < level.length; l++) {
                if (level[l].format() == SPARSE_CSR) {
                    segments[l] = level[l].segments();
                    indices[l] = level[l].indices();
                }
            }
        }

        /** Visits level {@code l} below the position {@code previous} that the levels above reached. */
        void visit(int l, long previous) {
            if (l == level.length) {
                place();
                return;
            }
            if (segments[l] == null) {
                for (int i = 0; i < size[l]; i++) {
                    coordinate[l] = i;
                    visit(l + 1, previous * size[l] + i);
                }
                return;
            }
            int[] segment = segments[l];
            if (previous + 1 >= segment.length) {
                throw problem(name, "level " + l + " has " + segment.length + " segment bounds, too few for position "
                        + previous);
            }
            int from = segment[(int) previous];
            int to = segment[(int) previous + 1];
            if (from < 0 || to < from || to > indices[l].length) {
                throw problem(name, "level " + l + " has a segment [" + from + ", " + to + ") outside its "
                        + indices[l].length + " indices");
            }
            for (int i = from; i < to; i++) {
                if (indices[l][i] < 0 || indices[l][i] >= size[l]) {
                    throw problem(name, "level " + l + " places a value at " + indices[l][i] + ", outside its size "
                            + size[l]);
                }
                coordinate[l] = indices[l][i];
                visit(l + 1, i);
            }
        }

        private void place() {
            int rank = shape.length;
            int[] at = new int[rank];
            for (int l = 0; l < rank; l++) {
                at[order[l]] = coordinate[l];
            }
            for (int l = rank; l < order.length; l++) {
                int block = order[l] - rank;
                at[blockMap[block]] = at[blockMap[block]] * blockSize[block] + coordinate[l];
            }
            long flat = 0;
            for (int d = 0; d < rank; d++) {
                flat = flat * shape[d] + at[d];
            }
            long from = taken * elementSize;
            if (from + elementSize > stored.limit()) {
                throw problem(name, "it stores " + stored.limit() / elementSize + " values, fewer than its sparsity"
                        + " places");
            }
            for (int b = 0; b < elementSize; b++) {
                dense.put((int) (flat * elementSize + b), stored.get((int) from + b));
            }
            taken++;
        }
    }
}
