package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory-mapped file through which one side of the worker connection hands tensors to the
 * other: the writer copies a tensor's bytes in once and sends only their place on the socket, the
 * reader copies them out once. It lives in shared memory ({@code /dev/shm}), so nothing touches a
 * disk; where there is none, tensors go through the socket.
 * <p>
 * One area carries the tensors of one frame at a time: the writer starts each frame at the area's
 * beginning, which is safe because a request's reply (or the next request) is only written after
 * the other side has read the frame before it.
 * <p>
 * A tensor whose bytes equal those of a tensor of the frame before, still in place in the area, is
 * not copied again: the writer names that earlier write, and the reader hands out the copy it took
 * of it (or, if it kept none, copies the bytes, which are still there). The writer compares the
 * bytes themselves, so a buffer changed in place is sent again.
 * <p>
 * Consecutive frames may be written or read by different threads of one side (the worker answers
 * each request on the thread that read it), hence the synchronized methods: they order one
 * frame's bookkeeping before the next's.
 */
final class SharedArea implements AutoCloseable {

    /** Tensors smaller than this go through the socket: copying them twice costs less than a page fault. */
    static final int INLINE_BELOW = 64 << 10;

    /** The size mapped; the file is sparse, so memory is only taken by what was written. */
    private static final int CAPACITY = 1 << 30;

    /** After a frame that used more than this, the memory is given back before the next one. */
    private static final long RELEASE_ABOVE = 64L << 20;

    /** Shared memory left free for the rest of the machine when deciding whether a tensor fits. */
    private static final long KEEP_FREE = 256L << 20;

    /** The reader keeps its copies of the last frame's tensors up to this many bytes. */
    private static final long KEPT_AT_MOST = 256L << 20;

    /** How many of the frame before's tensors of the same size a tensor is compared with. */
    private static final int COMPARED_AT_MOST = 4;

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final FileStore store;
    private long used;
    private long highWater;

    // the writer's side: the tensors written in the frame before and in this one, and a count of writes
    private List<Placed> previous = List.of();
    private List<Placed> current = new ArrayList<>();
    private long writes;

    // the reader's side: its copies of the last frame's tensors and of the frame being read, by write
    private Map<Long, ByteBuffer> kept = Map.of();
    private Map<Long, ByteBuffer> keeping = new HashMap<>();
    private long keptBytes;

    private SharedArea(RandomAccessFile file, FileStore store) throws IOException {
        this.file = file;
        this.channel = file.getChannel();
        this.store = store;
        if (file.length() < CAPACITY) {
            file.setLength(CAPACITY);
        }
        this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, CAPACITY);
    }

    /**
     * Where a tensor's bytes are in the area.
     *
     * @param write  the write that put them there: the reader's key for its copy
     * @param copied whether they were copied in for this frame, or were already there
     */
    record Placed(long offset, int length, long write, boolean copied) {
    }

    /** A private folder in shared memory for a worker's two areas, if this machine has shared memory. */
    static Optional<Path> createFolder() {
        if (!Files.isDirectory(SHARED_MEMORY) || !Files.isWritable(SHARED_MEMORY)) {
            return Optional.empty();
        }
        try {
            return Optional.of(WorkerAreas.create(SHARED_MEMORY)); // names its owner, see deleteStaleFolders
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the shared-memory folders of workers whose Tensorscope no longer runs: a worker killed before it
     * mapped its areas leaves its folder and two area files behind.
     */
    static void deleteStaleFolders() {
        if (Files.isDirectory(SHARED_MEMORY)) {
            WorkerAreas.deleteStale(SHARED_MEMORY);
        }
    }

    /** Creates the area's file and maps it. */
    static SharedArea create(Path path) throws IOException {
        Files.createFile(path);
        return open(path);
    }

    /** Maps an area the other side created. */
    static SharedArea open(Path path) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            // the file and its folder are deleted once both sides have mapped it: ask the folder's parent
            return new SharedArea(file, Files.getFileStore(path.toAbsolutePath().getParent().getParent()));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Starts a frame: the previous frame's tensors have been read. */
    synchronized void reset() throws IOException {
        used = 0;
        previous = current;
        current = new ArrayList<>();
        if (highWater > RELEASE_ABOVE) {
            channel.truncate(0); // frees the pages in both processes; the mapping stays valid
            file.setLength(CAPACITY);
            highWater = 0;
            previous = List.of(); // their bytes are gone
        }
    }

    /**
     * Puts a tensor's bytes into the area: finds them in place if the frame before left the same
     * bytes where this frame has not written yet, or copies them in.
     *
     * @return where they are, or null when they do not fit (they then go through the socket)
     */
    synchronized Placed put(ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        long start = align(used);
        int compared = 0;
        for (Placed earlier : previous) {
            if (earlier.length() != length || earlier.offset() < start) {
                continue;
            }
            if (sameBytes(earlier, bytes)) {
                return placed(new Placed(earlier.offset(), length, earlier.write(), false));
            }
            if (++compared == COMPARED_AT_MOST) {
                break;
            }
        }
        if (start + length > CAPACITY || store.getUsableSpace() < length + KEEP_FREE) {
            return null;
        }
        map.put((int) start, bytes, bytes.position(), length);
        return placed(new Placed(start, length, ++writes, true));
    }

    private boolean sameBytes(Placed earlier, ByteBuffer bytes) {
        return map.slice((int) earlier.offset(), earlier.length()).mismatch(bytes.duplicate()) < 0;
    }

    private Placed placed(Placed placed) {
        current.add(placed);
        used = placed.offset() + placed.length();
        highWater = Math.max(highWater, used);
        return placed;
    }

    /** Where this frame's tensors were put so far. */
    synchronized List<Placed> placedInFrame() {
        return List.copyOf(current);
    }

    /** The reader starts a frame: it keeps its copies of the frame before, and only those. */
    synchronized void startReading() {
        kept = keeping;
        keeping = new HashMap<>();
        keptBytes = 0;
    }

    /**
     * The bytes of a tensor the other side put into the area: the copy taken of the same write in
     * the frame before, or a new copy.
     */
    synchronized ByteBuffer take(long offset, int length, long write) throws IOException {
        if (offset < 0 || length < 0 || offset > CAPACITY - (long) length) {
            throw new IOException("broken worker stream (shared tensor at " + offset + ", " + length + " bytes)");
        }
        ByteBuffer copy = kept.get(write);
        if (copy == null || copy.capacity() != length) {
            byte[] bytes = new byte[length];
            map.get((int) offset, bytes, 0, length);
            copy = ByteBuffer.wrap(bytes);
        }
        if (keptBytes + length <= KEPT_AT_MOST) {
            keeping.put(write, copy);
            keptBytes += length;
        }
        return copy.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long align(long offset) {
        return (offset + 63) & ~63L;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // the mapping goes with the process
        }
    }
}
