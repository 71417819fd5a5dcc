import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the signature from the OSGi framework's jar in each materialized product, in place.
 * <p>
 * The Equinox launcher loads the framework with a class loader of its own, which checks a signed
 * jar's every class at each start and keeps the JVM from storing those classes in an AOT cache; the
 * framework itself never checks signatures. Without the signature the workbench's and the command
 * line's caches hold the framework's 473 classes too. Every other entry stays as it is, byte for byte.
 * <p>
 * Usage: {@code java UnsignedFramework.java PRODUCTS_FOLDER} (run by the product's build, after the
 * products are materialized and before they are archived).
 */
public final class UnsignedFramework {

    private static final Pattern FRAMEWORK = Pattern.compile("org\\.eclipse\\.osgi_[^/]*\\.jar");
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]*\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

    private UnsignedFramework() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: UnsignedFramework PRODUCTS_FOLDER (a folder of materialized products)");
            System.exit(2);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            jars = files.filter(file -> FRAMEWORK.matcher(file.getFileName().toString()).matches()
                    && file.getParent().getFileName().toString().equals("plugins")).toList();
        }
        if (jars.isEmpty()) {
            System.err.println("no org.eclipse.osgi jar in a plugins folder under " + args[0]);
            System.exit(1);
        }
        for (Path jar : jars) {
            int removed = unsign(jar);
            System.out.println((removed > 0 ? "removed " + removed + " signature files from " : "not signed: ") + jar);
        }
    }

    /** Rewrites the jar without its signature files; returns how many there were (none: left as it is). */
    static int unsign(Path jar) throws IOException {
        int signatures = 0;
        Path made = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                if (SIGNATURE.matcher(entry.getName()).matches()) {
                    signatures++;
                }
            }
            if (signatures == 0) {
                return 0;
            }
            try (OutputStream file = Files.newOutputStream(made); ZipOutputStream out = new ZipOutputStream(file)) {
                for (ZipEntry entry : Collections.list(in.entries())) {
                    if (SIGNATURE.matcher(entry.getName()).matches()) {
                        continue;
                    }
                    ZipEntry copied = new ZipEntry(entry.getName());
                    copied.setTime(entry.getTime());
                    copied.setMethod(entry.getMethod());
                    if (entry.getMethod() == ZipEntry.STORED) {
                        copied.setSize(entry.getSize());
                        copied.setCompressedSize(entry.getSize());
                        copied.setCrc(entry.getCrc());
                    }
                    out.putNextEntry(copied);
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        FileTime modified = Files.getLastModifiedTime(jar);
        Files.move(made, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, modified);
        return signatures;
    }
}
