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

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final FileStore store;
    private long used;
    private long highWater;

    private SharedArea(RandomAccessFile file, FileStore store) throws IOException {
        this.file = file;
        this.channel = file.getChannel();
        this.store = store;
        if (file.length() < CAPACITY) {
            file.setLength(CAPACITY);
        }
        this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, CAPACITY);
    }

    /** A private folder in shared memory for a worker's two areas, if this machine has shared memory. */
    static Optional<Path> createFolder() {
        if (!Files.isDirectory(SHARED_MEMORY) || !Files.isWritable(SHARED_MEMORY)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.createTempDirectory(SHARED_MEMORY, "tensorscope-worker"));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
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
    void reset() throws IOException {
        used = 0;
        if (highWater > RELEASE_ABOVE) {
            channel.truncate(0); // frees the pages in both processes; the mapping stays valid
            file.setLength(CAPACITY);
            highWater = 0;
        }
    }

    /**
     * Copies a tensor's bytes into the area.
     *
     * @return where they start, or -1 when they do not fit (they then go through the socket)
     */
    long put(ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        long offset = align(used);
        if (offset + length > CAPACITY || store.getUsableSpace() < length + KEEP_FREE) {
            return -1;
        }
        map.put((int) offset, bytes, bytes.position(), length);
        used = offset + length;
        highWater = Math.max(highWater, used);
        return offset;
    }

    /** Copies bytes the other side put into the area. */
    ByteBuffer take(long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > CAPACITY - (long) length) {
            throw new IOException("broken worker stream (shared tensor at " + offset + ", " + length + " bytes)");
        }
        byte[] bytes = new byte[length];
        map.get((int) offset, bytes, 0, length);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
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
