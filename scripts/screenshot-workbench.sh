#!/usr/bin/env bash
# Starts the product under Xvfb, waits for the workbench window and saves a screenshot of it
# to docs/images/workbench.png (used by the README). Needs xvfb, xdotool and imagemagick.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/docs/images/workbench.png}"
for tool in xvfb-run xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 2; }
done
workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT
export TENSORSCOPE_WORKSPACE="$workspace"
mkdir -p "$(dirname "$out")"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$0/tensorscope" >/dev/null 2>&1 &
  app=$!
  for _ in $(seq 1 180); do
    win=$(xdotool search --name "^Tensorscope" 2>/dev/null | head -n 1 || true)
    [ -n "$win" ] && break
    sleep 1
  done
  if [ -z "$win" ]; then echo "screenshot: the workbench window did not appear" >&2; kill $app; exit 1; fi
  sleep "${SETTLE_SECONDS:-4}"
  import -window root "$1"
  kill $app
' "$root" "$out"
echo "saved $out"
