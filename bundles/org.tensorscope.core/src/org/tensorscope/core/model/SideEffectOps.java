package org.tensorscope.core.model;

import java.util.List;
import java.util.Set;

/**
 * Ops that reach outside the model (files, the network, Python). A model is a program: these
 * are listed to the user before running and refused headless unless explicitly allowed.
 */
public final class SideEffectOps {

    private static final Set<String> TYPES = Set.of("ReadFile", "WriteFile", "MatchingFiles", "Save", "SaveV2",
            "SaveSlices", "Restore", "RestoreV2", "RestoreSlice", "MergeV2Checkpoints", "PrintV2", "ImmutableConst",
            "PyFunc", "PyFuncStateless", "EagerPyFunc", "DeleteFile", "WholeFileReader", "WholeFileReaderV2",
            "TFRecordReader", "TFRecordReaderV2", "FixedLengthRecordReader", "FixedLengthRecordReaderV2",
            "TextLineReader", "TextLineReaderV2", "TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset",
            "WriteSummary", "CreateSummaryFileWriter", "WriteAudioSummary", "WriteImageSummary", "WriteScalarSummary",
            "WriteHistogramSummary", "WriteRawProtoSummary", "WriteGraphSummary");

    private SideEffectOps() {
    }

    public static boolean isSideEffect(String opType) {
        return TYPES.contains(opType);
    }

    /** The model's ops that reach outside it, in topological order. */
    public static List<OpNode> in(ModelGraph graph) {
        return graph.ops().stream().filter(op -> isSideEffect(op.type())).toList();
    }
}
