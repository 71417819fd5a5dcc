#!/usr/bin/env bash
# Starts the built product under Xvfb on the demo and saves docs/images/workbench.png plus one
# picture per view (docs/images/view-*.png), as the user guide shows them. The workbench takes the
# pictures itself once the demo's NaN trace is shown, then closes. Needs xvfb.
# Usage: scripts/screenshot-views.sh [OUTPUT_FOLDER]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/docs/images}" && cd "${1:-$root/docs/images}" && pwd)
product="$root/product/target/products/org.tensorscope.product/linux/gtk/x86_64"
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }
[ -x "$product/tensorscope" ] || { echo "screenshots: build the product first (./tensorscope or ./mvnw verify)" >&2; exit 2; }
workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT
TENSORSCOPE_WORKSPACE="$workspace" TENSORSCOPE_VMARGS="-Dtensorscope.screenshots=$out" \
  timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" "$product/tensorscope" 2>&1 | grep '^saved\|screenshots:' || true
ls "$out"/workbench.png "$out"/view-*.png
