/*
 * A TensorFlow kernel for one measurement of docs/benchmarks.md, not part of the product: what FULL statistics
 * would cost if one op per tensor computed them in one pass where the tensor is made, instead of Java reading
 * every tensor's values. HealthPassBenchmarkTest times it beside the product's passes when given the library
 * that build.sh makes.
 *
 * TensorscopeStats(x: float) -> row: double[9]: NaN count, -Inf count, +Inf count, zeros, finite count, and the
 * finite values' minimum, maximum, sum and sum of squares. The sums are kept in float32 per lane and block, which
 * can overflow for values over about 1e19; a kernel for the product would need double sums merged as
 * TensorStats.summaryOf merges them, and the other float types, so what it costs here is a lower bound.
 *
 * Written against TensorFlow's C kernel and op APIs (tensorflow/c/kernels.h and ops.h), which
 * libtensorflow_framework.so.2 exports; TensorFlow Java ships no headers, so the few declarations are here.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
typedef struct TF_ShapeHandle TF_ShapeHandle;

extern TF_Status* TF_NewStatus(void);
extern void TF_DeleteStatus(TF_Status* status);
extern int TF_GetCode(const TF_Status* status);
extern const char* TF_Message(const TF_Status* status);
extern TF_KernelBuilder* TF_NewKernelBuilder(const char* op, const char* device,
        void* (*create)(TF_OpKernelConstruction*), void (*compute)(void*, TF_OpKernelContext*), void (*destroy)(void*));
extern void TF_RegisterKernelBuilder(const char* name, TF_KernelBuilder* builder, TF_Status* status);
extern void TF_GetInput(TF_OpKernelContext* context, int index, TF_Tensor** tensor, TF_Status* status);
extern TF_Tensor* TF_AllocateOutput(TF_OpKernelContext* context, int index, int dtype, const int64_t* dims,
        int num_dims, size_t length, TF_Status* status);
extern void TF_OpKernelContext_Failure(TF_OpKernelContext* context, TF_Status* status);
extern void* TF_TensorData(const TF_Tensor* tensor);
extern int64_t TF_TensorElementCount(const TF_Tensor* tensor);
extern void TF_DeleteTensor(TF_Tensor* tensor);
extern TF_OpDefinitionBuilder* TF_NewOpDefinitionBuilder(const char* op);
extern void TF_OpDefinitionBuilderAddInput(TF_OpDefinitionBuilder* builder, const char* spec);
extern void TF_OpDefinitionBuilderAddOutput(TF_OpDefinitionBuilder* builder, const char* spec);
extern void TF_OpDefinitionBuilderSetShapeInferenceFunction(TF_OpDefinitionBuilder* builder,
        void (*infer)(TF_ShapeInferenceContext*, TF_Status*));
extern void TF_RegisterOpDefinition(TF_OpDefinitionBuilder* builder, TF_Status* status);
extern TF_ShapeHandle* TF_ShapeInferenceContextVectorFromSize(TF_ShapeInferenceContext* context, size_t size);
extern void TF_ShapeInferenceContextSetOutput(TF_ShapeInferenceContext* context, int index, TF_ShapeHandle* shape,
        TF_Status* status);
extern void TF_DeleteShapeHandle(TF_ShapeHandle* shape);

enum { ROW = 9, BLOCK = 1024, LANES = 16, TF_DOUBLE = 2 };

typedef struct {
    double nan, negInf, posInf, zeros, finite, sum, squares;
    float min, max;
} Stats;

static void rowShape(TF_ShapeInferenceContext* context, TF_Status* status) {
    TF_ShapeHandle* row = TF_ShapeInferenceContextVectorFromSize(context, ROW);
    TF_ShapeInferenceContextSetOutput(context, 0, row, status);
    TF_DeleteShapeHandle(row);
}

/* A block of finite values: independent lanes, so that the compiler can keep them in vector registers. */
__attribute__((target_clones("avx2", "default")))
static void addFinite(const float* x, int length, Stats* stats) {
    float sum[LANES] = {0}, squares[LANES] = {0}, min[LANES], max[LANES];
    int zeros[LANES] = {0};
    for (int j = 0; j < LANES; j++) {
        min[j] = INFINITY;
        max[j] = -INFINITY;
    }
    int i = 0;
    for (; i + LANES <= length; i += LANES) {
        for (int j = 0; j < LANES; j++) {
            float v = x[i + j];
            sum[j] += v;
            squares[j] += v * v;
            min[j] = v < min[j] ? v : min[j];
            max[j] = v > max[j] ? v : max[j];
            zeros[j] += v == 0.0f;
        }
    }
    for (; i < length; i++) {
        float v = x[i];
        sum[0] += v;
        squares[0] += v * v;
        min[0] = v < min[0] ? v : min[0];
        max[0] = v > max[0] ? v : max[0];
        zeros[0] += v == 0.0f;
    }
    for (int j = 0; j < LANES; j++) {
        stats->sum += sum[j];
        stats->squares += squares[j];
        stats->min = min[j] < stats->min ? min[j] : stats->min;
        stats->max = max[j] > stats->max ? max[j] : stats->max;
        stats->zeros += zeros[j];
    }
    stats->finite += length;
}

static void addAny(const float* x, int length, Stats* stats) {
    for (int i = 0; i < length; i++) {
        float v = x[i];
        if (isnan(v)) {
            stats->nan++;
        } else if (isinf(v)) {
            if (v < 0) {
                stats->negInf++;
            } else {
                stats->posInf++;
            }
        } else {
            addFinite(&x[i], 1, stats);
        }
    }
}

static int allFinite(const float* x, int length) {
    uint32_t largest = 0;
    for (int i = 0; i < length; i++) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        bits &= 0x7fffffffu;
        largest = bits > largest ? bits : largest;
    }
    return largest < 0x7f800000u;
}

static void compute(void* kernel, TF_OpKernelContext* context) {
    (void) kernel;
    TF_Status* status = TF_NewStatus();
    TF_Tensor* input = NULL;
    TF_GetInput(context, 0, &input, status);
    if (TF_GetCode(status) != 0) {
        TF_OpKernelContext_Failure(context, status);
        TF_DeleteStatus(status);
        return;
    }
    const float* x = (const float*) TF_TensorData(input);
    int64_t n = TF_TensorElementCount(input);
    Stats stats = {0, 0, 0, 0, 0, 0, 0, INFINITY, -INFINITY};
    for (int64_t start = 0; start < n; start += BLOCK) {
        int length = (int) (n - start < BLOCK ? n - start : BLOCK);
        if (allFinite(x + start, length)) {
            addFinite(x + start, length, &stats);
        } else {
            addAny(x + start, length, &stats);
        }
    }
    int64_t dims[1] = {ROW};
    TF_Tensor* output = TF_AllocateOutput(context, 0, TF_DOUBLE, dims, 1, ROW * sizeof(double), status);
    if (TF_GetCode(status) == 0) {
        double* row = (double*) TF_TensorData(output);
        double values[ROW] = {stats.nan, stats.negInf, stats.posInf, stats.zeros, stats.finite, stats.min, stats.max,
                stats.sum, stats.squares};
        memcpy(row, values, sizeof values);
        TF_DeleteTensor(output);
    } else {
        TF_OpKernelContext_Failure(context, status);
    }
    TF_DeleteTensor(input);
    TF_DeleteStatus(status);
}

/* TF_LoadLibrary opens the library; the op and its CPU kernel register as it does. */
__attribute__((constructor)) static void registerStats(void) {
    TF_Status* status = TF_NewStatus();
    TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder("TensorscopeStats");
    TF_OpDefinitionBuilderAddInput(op, "x: float");
    TF_OpDefinitionBuilderAddOutput(op, "row: double");
    TF_OpDefinitionBuilderSetShapeInferenceFunction(op, rowShape);
    TF_RegisterOpDefinition(op, status);
    if (TF_GetCode(status) == 0) {
        TF_RegisterKernelBuilder("TensorscopeStatsCpu",
                TF_NewKernelBuilder("TensorscopeStats", "CPU", NULL, compute, NULL), status);
    }
    if (TF_GetCode(status) != 0) {
        fprintf(stderr, "TensorscopeStats not registered: %s\n", TF_Message(status));
    }
    TF_DeleteStatus(status);
}
