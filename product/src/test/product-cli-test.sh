#!/usr/bin/env bash
# Runs the materialized product's command line and checks what a user sees.
set -u
product=$(cd "$1" && pwd)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

out=$(mktemp); err=$(mktemp)

"$product/tensorscope" version >"$out" 2>"$err"
code=$?
[ "$code" -eq 0 ] || fail "'tensorscope version' exited with $code; stderr: $(tail -n 5 "$err")"
grep -Eq '^Tensorscope 0\.1\.0' "$out" || fail "no 'Tensorscope 0.1.0…' line in: $(cat "$out")"
grep -Eqx 'TensorFlow [0-9]+\.[0-9]+\.[0-9]+' "$out" || fail "no 'TensorFlow X.Y.Z' line in: $(cat "$out")"
grep -Eq 'devices: .*CPU:0' "$out" || fail "no CPU:0 device in: $(cat "$out")"

version_line=$(head -n 1 "$out")
grep -q '^org\.tensorscope\.cli,' "$product/configuration/cli/bundles.info" 2>/dev/null \
  || fail "the command line did not start from its own configuration (configuration/cli)"
grep -q '^org\.eclipse\.swt,' "$product/configuration/cli/bundles.info" && fail "the command line's configuration starts SWT"
grep -q '^org\.eclipse\.equinox\.p2\.' "$product/configuration/cli/bundles.info" && fail "the command line's configuration starts p2"

# the framework's jar carries no signature (src/build/UnsignedFramework.java): the launcher's class
# loader would check it at every start, and the JVM keeps no signed jar's classes in an AOT cache
framework=$(ls "$product"/plugins/org.eclipse.osgi_*.jar 2>/dev/null | head -n 1)
if [ -n "$framework" ] && "${JAVA_HOME:-/no-java}/bin/jar" tf "$framework" >"$out" 2>/dev/null; then
  grep -Eqi '^META-INF/[^/]*\.(SF|RSA|DSA|EC)$' "$out" && fail "the framework's jar is still signed: $framework"
  grep -q '^org/eclipse/osgi/launch/EquinoxFactory\.class$' "$out" || fail "the framework's jar lost its classes: $framework"
else
  fail "cannot list the framework's jar ($framework) with \$JAVA_HOME/bin/jar"
fi

# no bundle may fail to resolve or start: Equinox logs that as an error entry
errors=$(cat "$product"/configuration/*.log "$product"/configuration/cli/*.log 2>/dev/null | grep -A2 '^!ENTRY .* 4 ' || true)
[ -z "$errors" ] || fail "errors in the product's log: $errors"

"$product/tensorscope" version --no-such-option >"$out" 2>"$err"
code=$?
[ "$code" -eq 2 ] || fail "an unknown option exited with $code, expected 2"
grep -q -- "--no-such-option" "$err" || fail "the unknown option is not named on stderr: $(cat "$err")"
grep -q "at org\.\|Exception" "$err" && fail "stack trace on stderr for a usage error: $(cat "$err")"

# --- a Java 21+ runtime without javac is enough, and an update's newer launcher jar is used ---
# a copy of the product (links to its plugins) with an older launcher jar left beside the real one,
# started with a "JRE": a java that notes it ran, and no javac next to it
copy=$(mktemp -d)
cp -r "$product/configuration" "$copy/"
mkdir -p "$copy/plugins"
ln -s "$product"/plugins/* "$copy/plugins/"
for entry in "$product"/*; do [ -e "$copy/$(basename "$entry")" ] || ln -s "$entry" "$copy/"; done
rm "$copy/tensorscope" && cp "$product/tensorscope" "$copy/"
: > "$copy/plugins/org.eclipse.equinox.launcher_1.0.0.v20000101-0000.jar"
real_java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
real_java="${real_java:-$(command -v java)}"
mkdir -p "$copy/jre/bin"
printf '#!/bin/sh\ntouch "%s/jre/used"\nexec "%s" "$@"\n' "$copy" "$real_java" > "$copy/jre/bin/java"
chmod +x "$copy/jre/bin/java"
JAVA_HOME="$copy/jre" "$copy/tensorscope" version >"$out" 2>"$err"
code=$?
[ "$code" -eq 0 ] || fail "with a Java runtime without javac and an older launcher jar beside the newest: exit $code; stderr: $(tail -n 5 "$err")"
[ -f "$copy/jre/used" ] || fail "the product script did not use the Java runtime in JAVA_HOME (it has no javac)"
[ "$(head -n 1 "$out")" = "$version_line" ] || fail "the copy with a JRE did not print the version: $(cat "$out")"
rm -rf "$copy"

# Help > Install New Software installs through p2's framework manipulator, which needs the
# PlatformAdmin of the compatibility.state framework extension (the director test runs p2 outside
# the product and cannot see this)
grep -q '^osgi.framework.extensions=.*org.eclipse.osgi.compatibility.state_' "$product/configuration/config.ini" \
  || fail "the product cannot install software: no org.eclipse.osgi.compatibility.state framework extension in config.ini"
grep -q '^eclipse.p2.profile=' "$product/configuration/config.ini" || fail "the product has no p2 profile to install into"

# --- info, run and trace on real models ---
models="$(cd "$(dirname "$0")/../../../testdata" && pwd)"
work=$(mktemp -d)
trap 'rm -f "$out" "$err"; rm -rf "$work"' EXIT

final_error() { # description pattern: long runs print progress lines first; the error is the last line
  tail -n 1 "$err" | grep -q -- "$2" || fail "$1: the last line on stderr does not say '$2': $(cat "$err")"
  grep -qE "Exception|^\s+at |internal error" "$err" && fail "$1: stack trace on stderr: $(cat "$err")"
}
expect() { # expected-exit-code description command...
  local want=$1 what=$2; shift 2
  "$@" >"$out" 2>"$err"
  local code=$?
  [ "$code" -eq "$want" ] || fail "$what: exit $code, expected $want; stdout: $(head -c 600 "$out"); stderr: $(tail -n 5 "$err")"
}
one_line_error() { # description pattern
  local lines
  lines=$(grep -c . "$err")
  [ "$lines" -eq 1 ] || fail "$1: expected one line on stderr, got $lines: $(cat "$err")"
  grep -q -- "$2" "$err" || fail "$1: stderr does not say '$2': $(cat "$err")"
  grep -qE "Exception|^\s+at " "$err" && fail "$1: stack trace on stderr: $(cat "$err")"
}

expect 0 "info on a TF.js model" "$product/tensorscope" info "$models/tfjs/emotion/emotion.json"
grep -q "^Format: *TF.js graph model" "$out" || fail "info: no format line: $(cat "$out")"
grep -q "input_1 *float32 *\[?,64,64,1\]" "$out" || fail "info: no input line: $(cat "$out")"

expect 0 "info --json on a SavedModel" "$product/tensorscope" info --json "$models/savedmodel/tf1_half_plus_two"
grep -q '"format": "TensorFlow SavedModel"' "$out" || fail "info --json: $(head -c 400 "$out")"

expect 0 "run handskeleton on the ramp" "$product/tensorscope" run "$models/tfjs/handskeleton/handskeleton.json" \
  --input input_1=ramp --json "$work/run.json"
grep -q "values 95.855" "$out" || fail "run: Identity does not start 95.855: $(cat "$out")"
grep -q '"key": "Identity"' "$work/run.json" || fail "run --json: $(head -c 400 "$work/run.json")"

expect 3 "trace handskeleton with unclipped pixels" "$product/tensorscope" trace \
  "$models/tfjs/handskeleton/handskeleton.json" --input 'input_1=ramp*1e38' --report "$work/trace.json"
grep -q "^Cause: .*\[accumulation-overflow\]" "$out" || fail "trace: no overflow cause: $(cat "$out")"
grep -q '"rule": "accumulation-overflow"' "$work/trace.json" || fail "trace report: $(head -c 600 "$work/trace.json")"

expect 3 "trace --report html" "$product/tensorscope" trace "$models/tfjs/handskeleton/handskeleton.json" \
  --input 'ramp*1e38' --mode curt --report "$work/trace.html"
grep -q "<svg" "$work/trace.html" || fail "HTML report has no histogram image"

expect 0 "trace of a healthy run" "$product/tensorscope" trace "$models/tfjs/emotion/emotion.json"
grep -q "every tensor is finite" "$out" || fail "healthy trace: $(cat "$out")"
grep -q "^Checked: *Every tensor is finite (57 checked)" "$out" || fail "healthy trace: no coverage line: $(cat "$out")"
grep -qE '^[IWE][0-9]{4} |absl::InitializeLog' "$err" && fail "native log lines on stderr: $(head -n 3 "$err")"

# TF Serving's SavedModels: every signature traces, classify/regress fed serialized tf.Example
for signature in serving_default classify_x_to_y regress_x_to_y regress_x_to_y2 regress_x2_to_y3; do
  case $signature in
    serving_default|regress_x2_to_y3) input='const:2' ;;
    *) input='inputs=example:{"x":[2.0]}' ;;
  esac
  expect 0 "trace --signature $signature" "$product/tensorscope" trace "$models/savedmodel/tf1_half_plus_two_cpu" \
    --signature "$signature" --input "$input"
  grep -q "every tensor is finite" "$out" || fail "trace --signature $signature: $(cat "$out")"
done
expect 0 "run tf1_half_plus_three" "$product/tensorscope" run "$models/savedmodel/tf1_half_plus_three" --input 'x=const:4'
grep -Eq "values 5( |$)" "$out" || fail "tf1_half_plus_three: 0.5*4+3 is not 5: $(cat "$out")"

# --- bad input: one line naming the file and the problem, exit code 2 ---
head -c 3000 "$models/savedmodel/tf1_half_plus_two/saved_model.pb" > "$work/truncated.pb"
expect 2 "truncated .pb" "$product/tensorscope" info "$work/truncated.pb"
one_line_error "truncated .pb" "truncated.pb: not a valid GraphDef"

printf '\x0a\x0d\x0a\x01a\x12\x08NoSuchOp' > "$work/unknown-op.pb"
expect 2 "unknown op" "$product/tensorscope" trace "$work/unknown-op.pb"
one_line_error "unknown op" "unknown-op.pb: TensorFlow cannot build the graph"

expect 2 "missing folder" "$product/tensorscope" info "$work/no-such-model"
one_line_error "missing folder" "no-such-model: no such file or folder"

expect 2 "wrong input name" "$product/tensorscope" run "$models/tfjs/emotion/emotion.json" --input nope=zeros
one_line_error "wrong input name" "has no input named 'nope'; its inputs are input_1"

expect 2 "wrong input shape" "$product/tensorscope" trace "$models/tfjs/emotion/emotion.json" --input "input_1=$models/inputs/three-floats.npy"
one_line_error "wrong input shape" "emotion.json: input input_1 must have shape \[?,64,64,1\], the source gives \[3\]"

mkdir -p "$work/novars" && cp "$models/savedmodel/tf1_half_plus_two/saved_model.pb" "$work/novars/"
expect 2 "SavedModel without variables" "$product/tensorscope" info "$work/novars"
one_line_error "SavedModel without variables" "novars: the variables/ folder is missing"

# --- the inference worker: a time limit, and a worker killed mid-run ---
# 1,400 products of 1024x1024 matrices (2,800 ops, under the 3,000 deep chain TensorFlow runs safely): one TensorFlow
# run of a quarter of a minute or more that nothing inside can interrupt
{
  echo 'node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
  echo '  attr { key: "shape" value { shape { dim { size: 1024 } dim { size: 1024 } } } } }'
  previous=x
  for i in $(seq 0 1399); do
    echo "node { name: \"m$i\" op: \"MatMul\" input: \"$previous\" input: \"x\" attr { key: \"T\" value { type: DT_FLOAT } } }"
    echo "node { name: \"step$i\" op: \"Tanh\" input: \"m$i\" attr { key: \"T\" value { type: DT_FLOAT } } }"
    previous=step$i
  done
} > "$work/slow.pbtxt"
started=$(date +%s)
expect 2 "trace with --timeout" "$product/tensorscope" trace "$work/slow.pbtxt" --input 'x=const:0.001' --timeout 3
final_error "trace with --timeout" "slow.pbtxt: stopped after the --timeout of 3 s"
[ $(($(date +%s) - started)) -le 30 ] || fail "--timeout 3 took $(($(date +%s) - started)) s"

TENSORSCOPE_VMARGS=-Dtensorscope.progress=true "$product/tensorscope" run "$work/slow.pbtxt" --input 'x=const:0.001' >"$out" 2>"$err" &
cli=$!
workers=""
# until the run has started in the worker: its progress line comes once the command's first second is over, while
# the run goes on (the worker reports nothing more until the run ends)
for _ in $(seq 1 600); do
  if grep -q "^Running slow.pbtxt" "$err"; then # this command's workers: children of its Java, not another's
    for child in $(pgrep -P "$cli"); do
      # every worker JVM (an early worker not adopted may still be stopping beside the one running the model),
      # not the shell that waits for a worker to end to assemble its AOT cache
      for found in $(pgrep -P "$child" -f 'EclipseStarter.*tensorscope-worker'); do
        [ "$(cat "/proc/$found/comm" 2>/dev/null)" = java ] && workers="$workers $found"
      done
    done
  fi
  [ -n "$workers" ] && break
  sleep 0.1
done
if [ -z "$workers" ]; then
  fail "no inference worker process running the model; stderr: $(cat "$err")"
  kill "$cli" 2>/dev/null
else
  sleep 1
  kill -9 $workers
  wait "$cli"
  code=$?
  [ "$code" -eq 2 ] || fail "a killed worker: exit $code, expected 2; stderr: $(cat "$err")"
  final_error "a killed worker" "the inference worker stopped while running slow.pbtxt: it was killed (SIGKILL)"
fi

# --- the worker started with the command line: taken over, and gone when nothing used it ---
# (each command's worker is found by the temporary folder it is given, which is on its command line)
plan="$product/configuration/cli/worker-plan.properties"
[ -f "$plan" ] || fail "the model commands kept no worker plan for the next one to start its worker early"
workers_while() { # tmpdir command...: runs the command, printing the pids of the workers seen meanwhile
  local tmp=$1; shift
  mkdir -p "$tmp"
  TENSORSCOPE_VMARGS="-Djava.io.tmpdir=$tmp" "$@" >"$out" 2>"$err" &
  local cli=$!
  while kill -0 "$cli" 2>/dev/null; do
    pgrep -f "EclipseStarter -configuration file://$tmp/tensorscope-worker" || true
    sleep 0.05
  done
  wait "$cli"
  echo "exit $?"
}
workers_while "$work/tmp-info" "$product/tensorscope" info "$models/tfjs/handskeleton/handskeleton.json" > "$work/seen"
grep -qx "exit 0" "$work/seen" || fail "info with a worker started early: $(tail -n 1 "$work/seen"); stderr: $(cat "$err")"
seen=$(grep -v '^exit' "$work/seen" | sort -u | wc -l)
[ "$seen" -eq 1 ] || fail "info started $seen workers, expected the one started with the command line"
workers_while "$work/tmp-missing" "$product/tensorscope" trace "$work/missing.json" > "$work/seen"
grep -qx "exit 2" "$work/seen" || fail "trace of a missing model: $(tail -n 1 "$work/seen"), expected exit 2"
seen=$(grep -v '^exit' "$work/seen" | sort -u)
[ -n "$seen" ] || fail "trace started no worker with the command line (no plan taken from $plan?)"
sleep 2
for pid in $seen; do
  kill -0 "$pid" 2>/dev/null && { fail "the worker started for a trace that never used it is still running"; kill -9 "$pid"; }
done
leftover=$(find "$work/tmp-missing" "$work/tmp-info" -mindepth 1 -maxdepth 1)
[ -z "$leftover" ] || fail "workers left their temporary folders behind: $leftover"

# --- Java 25+: the command line's and the worker's AOT caches, made by a first command, used by the next ---
java_major=$(tensorscope_java_need=runtime; . "$product/select-jdk.sh" >/dev/null 2>&1 && tensorscope_java_major "$JAVA_HOME")
if [ "${java_major:-0}" -ge 25 ]; then
  xdg="$work/xdg" # a cache folder of the test's own, TensorFlow's natives where they are
  aot_info() { # the VMs log whether they mapped their cache to files of their own (the -Xlog:aot*=off
    # of the script only silences standard output)
    rm -f "$work"/aot-log.*
    XDG_CACHE_HOME="$xdg" TENSORSCOPE_JAVACPP_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tensorscope/javacpp/tensorflow-java-1.1.0" \
      JAVA_TOOL_OPTIONS="-Xlog:aot=info:file=$work/aot-log.%p" \
      "$product/tensorscope" info "$models/tfjs/handskeleton/handskeleton.json" --json >"$out" 2>"$err"
  }
  aot_info
  [ "$(head -c 1 "$out")" = "{" ] || fail "info --json while recording AOT caches printed more than its JSON: $(head -n 3 "$out")"
  grep -i "aot" "$err" | grep -v "^Picked up JAVA_TOOL_OPTIONS" && fail "the JVM's notes about AOT caches reached stderr: $(cat "$err")"
  cp "$out" "$work/info-recording.json"
  for _ in $(seq 120); do # the caches are assembled in the background
    ls "$xdg/tensorscope/aot" | grep -q '\.aotconf$\|\.tmp$' || break
    sleep 0.5
  done
  made=$(ls "$xdg/tensorscope/aot")
  echo "$made" | grep -q '^cli-[0-9]*-[0-9]*\.aot$' || fail "no AOT cache of the command line was made: $made"
  echo "$made" | grep -q '^worker-[0-9a-f]*-[0-9a-f]*\.aot$' || fail "no AOT cache of the worker was made: $made"
  echo "$made" | grep -q '\.aotconf$\|\.tmp$' && fail "recordings or half-made caches were left: $made"
  aot_info
  cmp -s "$out" "$work/info-recording.json" || fail "info --json printed something else with the AOT caches: $(diff "$out" "$work/info-recording.json" | head -n 5)"
  [ "$(grep -l "Opened AOT cache" "$work"/aot-log.* 2>/dev/null | wc -l)" -eq 2 ] \
    || fail "the command line and the worker did not both open their AOT cache: $(ls "$work"/aot-log.* 2>/dev/null)"
  grep -h "\[error" "$work"/aot-log.* && fail "a VM refused its AOT cache"
fi

if [ "$failures" -eq 0 ]; then
  echo "product CLI test: passed ($version_line)"
else
  exit 1
fi
