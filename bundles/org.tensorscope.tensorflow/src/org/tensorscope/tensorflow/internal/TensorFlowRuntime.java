package org.tensorscope.tensorflow.internal;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.DeviceInfo;

/**
 * Loads TensorFlow's natives once and reports what they see.
 */
public final class TensorFlowRuntime {

    private static BackendInfo info;

    private TensorFlowRuntime() {
    }

    /**
     * The TensorFlow version and its devices. The first call loads the natives; it is
     * synchronized because a cold first load racing a second thread has crashed TF before.
     */
    public static synchronized BackendInfo describe() throws BackendException {
        if (info == null) {
            JavaCppCache.configure();
            String version;
            try {
                version = TensorFlow.version();
            } catch (LinkageError e) {
                throw new BackendException("TensorFlow's native libraries could not be loaded for "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e.getMessage(), e);
            }
            info = new BackendInfo("TensorFlow", version, listDevices());
        }
        return info;
    }

    /** Whether the natives are loaded (by {@link #describe()}). */
    static synchronized boolean loaded() {
        return info != null;
    }

    /** Chooses where and which natives TensorFlow will load; loaders call it before using TF classes. */
    public static void prepareNatives() {
        JavaCppCache.configure();
    }

    private static List<DeviceInfo> listDevices() throws BackendException {
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        TF_Session session = null;
        try {
            session = TF_NewSession(graph, options, status);
            check(status, "start a TensorFlow session");
            TF_DeviceList list = TF_SessionListDevices(session, status);
            check(status, "list TensorFlow's devices");
            try {
                List<DeviceInfo> devices = new ArrayList<>();
                for (int i = 0; i < TF_DeviceListCount(list); i++) {
                    String fullName = TF_DeviceListName(list, i, status).getString();
                    String type = TF_DeviceListType(list, i, status).getString();
                    devices.add(new DeviceInfo(shortName(fullName), type, fullName));
                }
                return devices;
            } finally {
                TF_DeleteDeviceList(list);
            }
        } finally {
            if (session != null) {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    /** "/job:localhost/replica:0/task:0/device:CPU:0" becomes "CPU:0". */
    public static String shortName(String fullName) {
        int at = fullName.lastIndexOf("device:");
        return at < 0 ? fullName : fullName.substring(at + "device:".length());
    }

    private static void check(TF_Status status, String what) throws BackendException {
        if (TF_GetCode(status) != TF_OK) {
            throw new BackendException("Could not " + what + ": " + TF_Message(status).getString());
        }
    }
}
