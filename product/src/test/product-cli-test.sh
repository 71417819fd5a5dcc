#!/usr/bin/env bash
# Runs the materialized product's command line and checks what a user sees.
set -u
product="$1"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$product/tensorscope" version >"$out" 2>"$err"
code=$?
[ "$code" -eq 0 ] || fail "'tensorscope version' exited with $code; stderr: $(tail -n 5 "$err")"
grep -Eq '^Tensorscope 0\.1\.0' "$out" || fail "no 'Tensorscope 0.1.0…' line in: $(cat "$out")"
grep -qx 'TensorFlow 2.18.0' "$out" || fail "no 'TensorFlow 2.18.0' line in: $(cat "$out")"
grep -Eq 'devices: .*CPU:0' "$out" || fail "no CPU:0 device in: $(cat "$out")"

version_line=$(head -n 1 "$out")

# no bundle may fail to resolve or start: Equinox logs that as an error entry
errors=$(cat "$product"/configuration/*.log 2>/dev/null | grep -A2 '^!ENTRY .* 4 ' || true)
[ -z "$errors" ] || fail "errors in the product's log: $errors"

"$product/tensorscope" version --no-such-option >"$out" 2>"$err"
code=$?
[ "$code" -eq 2 ] || fail "an unknown option exited with $code, expected 2"
grep -q -- "--no-such-option" "$err" || fail "the unknown option is not named on stderr: $(cat "$err")"
grep -q "at org\.\|Exception" "$err" && fail "stack trace on stderr for a usage error: $(cat "$err")"

if [ "$failures" -eq 0 ]; then
  echo "product CLI test: passed ($version_line)"
else
  exit 1
fi
