#!/usr/bin/env bash
# Saves docs/images/workbench.png plus one picture per view (docs/images/view-*.png), as the user
# guide shows them: runs the workbench test ViewScreenshots (in the test fragment org.tensorscope.ui.tests,
# so that the screenshot tooling is not part of the product) under Xvfb on the demo. Needs xvfb.
# Usage: scripts/screenshot-views.sh [OUTPUT_FOLDER]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/docs/images}" && cd "${1:-$root/docs/images}" && pwd)
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }
cd "$root"
timeout 1200 xvfb-run -a -s "-screen 0 1280x800x24" ./mvnw -B verify \
  -pl features/org.tensorscope.feature,features/org.tensorscope.tensorflow.feature,bundles/org.tensorscope.ui.tests -am \
  -Dtycho.localArtifacts=ignore -Dtest=ViewScreenshots -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
  -Dtensorscope.screenshots="$out" 2>&1 | grep '^saved\|screenshots:\|ERROR\|FAIL' || true
ls "$out"/workbench.png "$out"/view-*.png
