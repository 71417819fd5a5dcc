package org.tensorscope.core.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * Reads and writes NumPy {@code .npy} files, format versions 1.0 to 3.0, C order, float32,
 * float64, int32, int64 and uint8.
 */
public final class Npy {

    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static TensorData read(Path file, String tensorName) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(file + ": not a NumPy .npy file (bad magic)");
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buffer.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IOException(file + ": truncated .npy header");
            }
            headerLength = buffer.getInt(8);
            headerStart = 12;
        } else {
            throw new IOException(file + ": .npy format version " + major + " is not supported (1.0 to 3.0 are)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new IOException(file + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, file, "descr");
        if ("True".equals(find(ORDER, header, file, "fortran_order"))) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported; save it with np.ascontiguousarray");
        }
        Shape shape = parseShape(find(SHAPE, header, file, "shape"));
        DType dtype = switch (descr) {
            case "<f4", "=f4" -> DType.FLOAT32;
            case "<f8", "=f8" -> DType.FLOAT64;
            case "<i4", "=i4" -> DType.INT32;
            case "<i8", "=i8" -> DType.INT64;
            case "|u1", "<u1", "=u1" -> DType.UINT8;
            default -> throw new IOException(file + ": dtype '" + descr
                    + "' is not supported (float32, float64, int32, int64 and uint8, little-endian, are)");
        };
        int dataStart = headerStart + headerLength;
        long expected = shape.numElements() * dtype.byteSize();
        if (bytes.length - dataStart < expected) {
            throw new IOException(file + ": truncated data: shape " + shape + " needs " + expected + " bytes, the file has "
                    + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expected).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new TensorData(tensorName, dtype, shape, data);
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

    private static Shape parseShape(String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    }
}
