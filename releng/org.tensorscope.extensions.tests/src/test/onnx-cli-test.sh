#!/usr/bin/env bash
# Runs the command line of a product that got the ONNX feature from the extensions site, and
# checks what a user sees. The second argument is the product as built, which must not hold ONNX Runtime.
set -u
product="$1"
plain_product="$2"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

models="$(cd "$(dirname "$0")/../../../../testdata" && pwd)"
classifier="$models/onnx/ch_ppocr_mobile_v2.0_cls_infer.onnx"
out=$(mktemp); err=$(mktemp); work=$(mktemp -d)
trap 'rm -f "$out" "$err"; rm -rf "$work"' EXIT

expect() { # expected-exit-code description command...
  local want=$1 what=$2; shift 2
  "$@" >"$out" 2>"$err"
  local code=$?
  [ "$code" -eq "$want" ] || fail "$what: exit $code, expected $want; stdout: $(head -c 600 "$out"); stderr: $(tail -n 5 "$err")"
}

ls "$plain_product/plugins" | grep -q onnxruntime && fail "the default product holds ONNX Runtime"
ort=$(ls "$product/plugins" | sed -n 's/^com\.microsoft\.onnxruntime_\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p' | head -n 1)
[ -n "$ort" ] || fail "ONNX Runtime was not installed: $(ls "$product/plugins" | grep -i onnx)"

expect 0 "version" "$product/tensorscope" version
grep -qx "ONNX Runtime $ort" "$out" || fail "no 'ONNX Runtime $ort' line (the version of the installed bundle) in: $(cat "$out")"
grep -qxE 'TensorFlow [0-9]+\.[0-9]+\.[0-9]+' "$out" || fail "TensorFlow is gone after installing ONNX: $(cat "$out")"

expect 0 "info on the ONNX classifier" "$product/tensorscope" info "$classifier"
grep -q "^Format: *ONNX$" "$out" || fail "info: no ONNX format line: $(cat "$out")"
grep -q "^Ops: *472 (Constant 250, Conv 53," "$out" || fail "info: op counts: $(cat "$out")"
grep -q "input *x *float32 *\[?,3,?,?\]" "$out" || fail "info: no input line: $(cat "$out")"
grep -q "output *softmax_0.tmp_0 *float32 *\[?,2\]" "$out" || fail "info: no output line: $(cat "$out")"

expect 0 "trace of a healthy run" "$product/tensorscope" trace "$classifier" --input x=ramp
grep -q "every tensor is finite" "$out" || fail "healthy trace: $(cat "$out")"

# unknown dimensions are fed as 1: x is [1,3,1,1], and the first convolution overflows
expect 3 "trace with huge pixels" "$product/tensorscope" trace "$classifier" --input 'x=const:3e38' \
  --report "$work/trace.json"
grep -q "^Origin: *p2o.Conv.0 (Conv), computed from finite inputs" "$out" || fail "trace: origin: $(cat "$out")"
grep -q "^First NaN: *p2o.Mul.0" "$out" || fail "trace: first NaN: $(cat "$out")"
grep -q "^Cause: .*\[accumulation-overflow\]" "$out" || fail "trace: no overflow cause: $(cat "$out")"
grep -q '"format": "ONNX"' "$work/trace.json" || fail "trace report: $(head -c 600 "$work/trace.json")"

# silero VAD computes everything inside the branch of an If that the sample rate picks
silero="$models/onnx/silero_vad_v5.onnx"
expect 0 "info on silero" "$product/tensorscope" info "$silero"
grep -q "^Ops: *692 (" "$out" || fail "info on silero: the nodes inside its If branches are not listed: $(cat "$out")"
grep -q "input *input *float32 *\[?,?\]" "$out" || fail "info on silero: unknown dimensions not shown as ?: $(cat "$out")"

expect 0 "healthy trace of silero" "$product/tensorscope" trace "$silero" --input 'input=ramp@1x512' \
  --input state=zeros --input sr=const:16000
grep -q "^Checked: *Every tensor is finite (103 checked)" "$out" || fail "healthy silero trace: $(cat "$out")"

expect 3 "trace of silero fed huge samples" "$product/tensorscope" trace "$silero" --input 'input=ramp*1e38@1x512' \
  --input state=zeros --input sr=const:16000
grep -q "^Origin: *If_0/then_branch/If_0_then_branch__Inline_0__/stft/Conv (Conv), computed from finite inputs" "$out" \
  || fail "silero trace: the origin inside the If branch is not named: $(cat "$out")"
grep -qi "onnxruntime:" "$err" && fail "ONNX Runtime's own log lines reach the user: $(grep -i onnxruntime: "$err" | head -3)"

# an unknown dimension fed as 1 is too short for the model's reflect padding: the message says where and with what
expect 2 "silero with a guessed input size" "$product/tensorscope" trace "$silero" --input input=ramp \
  --input state=zeros --input sr=const:16000
grep -q "^tensorscope: .*Pad op If_0/then_branch/.*/stft/padding/Pad failed: Pad reflect requires axis length >= 2.*inputs fed: input \[1,1\]" "$err" \
  || fail "silero with a guessed input size: $(cat "$err")"
{ [ "$(grep -c "^tensorscope: " "$err")" -eq 1 ] && ! grep -q "^[[:space:]]*at " "$err"; } \
  || fail "silero with a guessed input size: expected one error line and no stack trace: $(cat "$err")"

head -c 20000 "$classifier" > "$work/truncated.onnx"
expect 2 "truncated .onnx" "$product/tensorscope" info "$work/truncated.onnx"
[ "$(grep -c . "$err")" -eq 1 ] || fail "truncated .onnx: expected one line on stderr: $(cat "$err")"
grep -q "truncated.onnx: not a valid ONNX model: the file ends in the middle of a field" "$err" \
  || fail "truncated .onnx: $(cat "$err")"

errors=$(cat "$product"/configuration/*.log 2>/dev/null | grep -A2 '^!ENTRY .* 4 ' || true)
[ -z "$errors" ] || fail "errors in the product's log: $errors"

if [ "$failures" -gt 0 ]; then
  echo "$failures ONNX command-line check(s) failed" >&2
  exit 1
fi
echo "ONNX command-line checks passed"
