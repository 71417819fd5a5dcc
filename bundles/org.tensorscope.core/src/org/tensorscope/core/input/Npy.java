package org.tensorscope.core.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.tensor.TensorData;

/**
 * Reads and writes NumPy {@code .npy} files, format versions 1.0 to 3.0, C order, float32,
 * float64, int32, int64 and uint8.
 */
public final class Npy {

    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    /** numpy itself writes headers of a few hundred bytes. */
    private static final long MAX_HEADER = 1 << 20;
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Reads the file; only a regular file is read, and its header is checked against its size and
     * the {@link TensorBudget} before the data is.
     */
    public static TensorData read(Path file, String tensorName) throws IOException {
        String irregular = ModelFiles.irregularKind(file);
        if (irregular != null) {
            throw new IOException(file + ": " + irregular);
        }
        long fileSize = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] prefix = in.readNBytes(12);
            ByteBuffer buffer = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
            if (prefix.length < 10 || !Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
                throw new IOException(file + ": not a NumPy .npy file (bad magic)");
            }
            int major = prefix[6];
            long headerLength;
            int headerStart;
            if (major == 1) {
                headerLength = buffer.getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (prefix.length < 12) {
                    throw new IOException(file + ": truncated .npy header");
                }
                headerLength = buffer.getInt(8) & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new IOException(file + ": .npy format version " + major + " is not supported (1.0 to 3.0 are)");
            }
            if (headerStart + headerLength > fileSize || headerLength > MAX_HEADER) {
                throw new IOException(file + ": truncated or corrupt .npy header (it declares " + headerLength + " bytes)");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            System.arraycopy(prefix, headerStart, headerBytes, 0, Math.min(prefix.length - headerStart, headerBytes.length));
            int have = Math.max(0, prefix.length - headerStart);
            if (have < headerBytes.length) {
                byte[] rest = in.readNBytes(headerBytes.length - have);
                System.arraycopy(rest, 0, headerBytes, have, rest.length);
            }
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = find(DESCR, header, file, "descr");
            if ("True".equals(find(ORDER, header, file, "fortran_order"))) {
                throw new IOException(file + ": Fortran-ordered arrays are not supported; save it with np.ascontiguousarray");
            }
            Shape shape = parseShape(find(SHAPE, header, file, "shape"), file);
            DType dtype = switch (descr) {
                case "<f4", "=f4" -> DType.FLOAT32;
                case "<f8", "=f8" -> DType.FLOAT64;
                case "<i4", "=i4" -> DType.INT32;
                case "<i8", "=i8" -> DType.INT64;
                case "|u1", "<u1", "=u1" -> DType.UINT8;
                default -> throw new IOException(file + ": dtype '" + descr
                        + "' is not supported (float32, float64, int32, int64 and uint8, little-endian, are)");
            };
            long expected;
            try {
                expected = TensorBudget.check(file.toString(), shape, dtype);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            long dataStart = headerStart + headerLength;
            if (fileSize - dataStart < expected) {
                throw new IOException(file + ": truncated data: shape " + shape + " needs " + expected
                        + " bytes, the file has " + (fileSize - dataStart));
            }
            ByteBuffer data = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
            int fromPrefix = (int) Math.max(0, Math.min(expected, prefix.length - dataStart));
            if (fromPrefix > 0) {
                data.put(prefix, (int) dataStart, fromPrefix);
            }
            byte[] rest = in.readNBytes((int) expected - fromPrefix);
            if (rest.length != expected - fromPrefix) {
                throw new IOException(file + ": truncated data (the file changed while being read)");
            }
            data.put(rest).flip();
            return new TensorData(tensorName, dtype, shape, data);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
    }

    public static void write(TensorData tensor, Path file) throws IOException {
        String descr = switch (tensor.dtype()) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case UINT8 -> "|u1";
            default -> throw new IOException("Cannot write " + tensor.dtype().displayName() + " tensors to .npy");
        };
        long[] dims = tensor.shape().dims();
        StringBuilder shape = new StringBuilder();
        for (long d : dims) {
            shape.append(d).append(", ");
        }
        String dictionary = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + (dims.length == 1 ? dims[0] + "," : shape.length() > 0 ? shape.substring(0, shape.length() - 2) : "")
                + "), }";
        int unpadded = 10 + dictionary.length() + 1;
        String header = dictionary + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + tensor.bytes().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.put(tensor.bytes());
        Files.write(file, out.array());
    }

    private static String find(Pattern pattern, String header, Path file, String key) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": the .npy header has no '" + key + "'");
        }
        return m.group(1);
    }

    private static Shape parseShape(String text, Path file) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                long d;
                try {
                    d = Long.parseLong(part.trim().replaceAll("[lL]$", ""));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": the .npy shape (" + text + ") is not a list of whole numbers");
                }
                if (d < 0) {
                    throw new IOException(file + ": the .npy shape (" + text + ") has a negative dimension");
                }
                dims.add(d);
            }
        }
        return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    }
}
