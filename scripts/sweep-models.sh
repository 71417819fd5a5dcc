#!/usr/bin/env bash
# Runs the built product's command line over every model under a folder, as a user who has never seen
# them would: `info`, `run`, `trace --mode curt` on the default input and `trace` on pixels that were never
# clipped (ramp*1e38). Prints one line per model and command with the exit code and the time, then what
# needs a look: an exit code other than 0 (finite), 3 (NaN/Inf found) and 2 (a clear refusal), a message
# that is a stack trace or an exception's class name, a JVM crash report, a command stopped by the timeout,
# and each refusal's first line (a refusal can be right, e.g. a uint8 input that cannot hold 1e38, or
# hide a format or op Tensorscope should read). Models: TF.js model.json files (any *.json with a
# modelTopology), *.tflite, *.onnx, *.pb, *.h5, *.keras and SavedModel folders.
# Needs a built product (./mvnw -DskipTests package, or ./tensorscope once); PRODUCT=FOLDER sweeps another, e.g.
# the copy with the ONNX extension installed that ./mvnw verify leaves in
# releng/org.tensorscope.extensions.tests/target/tensorscope-with-onnx.
# Usage: [PRODUCT=FOLDER] scripts/sweep-models.sh FOLDER [OUT_FOLDER]      (TIMEOUT=seconds per command, default 300)
set -u
folder=${1:?usage: scripts/sweep-models.sh FOLDER [OUT_FOLDER]}
repo=$(cd "$(dirname "$0")/.." && pwd)
product=${PRODUCT:-"$repo/product/target/products/org.tensorscope.product/linux/gtk/x86_64"}
[ -x "$product/tensorscope" ] || { echo "no product in $product: run ./mvnw -DskipTests package first" >&2; exit 2; }
out=${2:-$(mktemp -d)}
mkdir -p "$out"
touch "$out/.started"
timeout_s=${TIMEOUT:-300}

models() {
  find "$folder" \( -name '*.tflite' -o -name '*.onnx' -o -name '*.pb' -o -name '*.h5' -o -name '*.keras' \) \
    -type f ! -name saved_model.pb | sort
  find "$folder" -name saved_model.pb -type f -exec dirname {} \; | sort
  find "$folder" -name '*.json' -type f -size -50M -print0 | sort -z \
    | xargs -0 -r grep -l '"modelTopology"' 2>/dev/null
}

look=()
while IFS= read -r model; do
  [ -n "$model" ] || continue
  name=$(echo "${model#"$folder"}" | sed 's|^/||; s|/|_|g')
  for command in info run trace trace-flood; do
    case $command in
      info) args=(info "$model") ;;
      run) args=(run "$model") ;;
      trace) args=(trace "$model" --mode curt) ;;
      trace-flood) args=(trace "$model" --input 'ramp*1e38') ;;
    esac
    start=$(date +%s%N)
    # run from the output folder: nothing a crash writes lands beside the models
    (cd "$out" && timeout "$timeout_s" "$product/tensorscope" "${args[@]}" >"$out/$name.$command.out" \
      2>"$out/$name.$command.err")
    rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '%-60s %-12s rc=%-4s %6d ms\n' "$name" "$command" "$rc" "$ms"
    message=$(grep -v '^WARNING' "$out/$name.$command.err" | grep -m1 '^tensorscope:' | cut -c1-240)
    if [ "$rc" = 124 ]; then
      look+=("$name $command: stopped by the timeout of ${timeout_s} s")
    elif [ "$rc" != 0 ] && [ "$rc" != 2 ] && [ "$rc" != 3 ]; then
      look+=("$name $command: exit code $rc")
    elif grep -q 'its crash report:' "$out/$name.$command.err"; then
      look+=("$name $command: the inference worker crashed: $message")
    elif grep -q -E '^\s+at [a-z]|Exception$|Exception:' <<<"$message"; then
      look+=("$name $command: $message")
    elif [ "$rc" = 2 ]; then
      look+=("$name $command refused: $message")
    fi
  done
done < <(models)

# the command's own JVM writes its report where it runs; the inference worker's goes to the temporary folder
crashes=$(find "$out" -maxdepth 1 -name 'hs_err_pid*.log' | wc -l)
[ "$crashes" = 0 ] || look+=("$crashes JVM crash report(s) in $out")
# (Java's temporary folder is /tmp on Linux whatever TMPDIR says, unless java.io.tmpdir is set)
worker_crashes=$(find /tmp ${TMPDIR:+"$TMPDIR"} -maxdepth 1 -name 'tensorscope-worker-crash-*.log' -newer "$out/.started" \
  2>/dev/null | sort -u | wc -l)
[ "$worker_crashes" = 0 ] || look+=("$worker_crashes crash report(s) of the inference worker (tensorscope-worker-crash-*.log)")
echo
echo "outputs in $out"
if [ ${#look[@]} -eq 0 ]; then
  echo "nothing to look at"
else
  echo "to look at:"
  printf '  %s\n' "${look[@]}"
fi
