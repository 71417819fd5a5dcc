package org.tensorscope.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small file an application keeps between sessions (recent models, a model's run
 * configuration and breakpoints). Written atomically ({@link AtomicFiles}). A file that cannot be
 * read or understood is never fatal: it is renamed aside to {@code NAME.corrupt-<time>}, content
 * untouched, one line naming the file and the problem goes to the notices, and the defaults are
 * used.
 */
public final class StateFile {

    /** State files are a few kilobytes; anything much larger is not one of ours. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Turns a state file's text into a value, or says why it cannot. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(String text) throws CorruptStateException;
    }

    private final Path file;
    private final Consumer<String> notices;

    /**
     * @param notices receives one line per file set aside, e.g. for the log and the status line
     */
    public StateFile(Path file, Consumer<String> notices) {
        this.file = file;
        this.notices = notices;
    }

    public Path file() {
        return file;
    }

    /** The decoded content; the defaults when there is no file yet, or when it was set aside. */
    public <T> T read(Decoder<T> decoder, Supplier<T> defaults) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return defaults.get();
        }
        String problem;
        try {
            return decoder.decode(text());
        } catch (CorruptStateException e) {
            problem = e.getMessage();
        } catch (NoSuchFileException e) {
            return defaults.get();
        } catch (AccessDeniedException e) {
            problem = "cannot be read (permission denied)";
        } catch (IOException e) {
            problem = "cannot be read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        } catch (RuntimeException e) {
            // a decoder's own slip must not cost the start either
            problem = "cannot be understood (" + e.getClass().getSimpleName() + ")";
        }
        notices.accept(setAside(problem));
        return defaults.get();
    }

    /** Replaces the file's content atomically. */
    public void write(String text) throws IOException {
        AtomicFiles.write(file, text);
    }

    private String text() throws IOException, CorruptStateException {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            throw new CorruptStateException("is a link to nothing");
        }
        if (Files.isDirectory(file)) {
            throw new CorruptStateException("is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            // a FIFO or a device would block or never end
            throw new CorruptStateException("is not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new CorruptStateException("is " + size + " bytes, far more than any state file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptStateException("is not text (bytes that are not UTF-8)");
        }
    }

    /** Renames the file aside and returns the one-line notice. */
    private String setAside(String problem) {
        String stamp = LocalDateTime.now().format(STAMP);
        for (int attempt = 1; attempt < 100; attempt++) {
            Path aside = file.resolveSibling(
                    file.getFileName() + ".corrupt-" + stamp + (attempt == 1 ? "" : "-" + attempt));
            try {
                Files.move(file, aside);
                return file + ": " + problem + "; set aside as " + aside.getFileName() + ", starting from defaults";
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                return file + ": " + problem + "; it could not be set aside (" + e.getMessage()
                        + "), starting from defaults";
            }
        }
        return file + ": " + problem + "; starting from defaults";
    }
}
