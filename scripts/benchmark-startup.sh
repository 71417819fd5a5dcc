#!/usr/bin/env bash
# Times how long Tensorscope takes to start, as a user meets it: the wall time of whole commands of
# the built product (JVM start included), and the time from starting the workbench to its window
# mapped, cold (a new workspace), warm (the same workspace again, the last run killed: nothing
# saved) and warm after a normal close (its layout restored; python3 closes the window as a user
# does). Prints one line per measurement with the median and range over the runs, and the load
# average, since on a shared machine waiting for a core is part of every figure. Needs a built
# product (./mvnw package) and, for the workbench, Xvfb, and xwininfo and xev (x11-utils).
# With BASELINE set to another built product (e.g. a copy of main's), each command is timed on it
# and on this one alternately, so that both meet the same load; each line then also gives the CPU
# time of every process of the command (user + system), which moves less with the load than the wall.
# On Java 25+ the first run of each command (not timed) makes the command line's and the worker's AOT
# caches, which are assembled in the background: the timed runs start once that is done.
# WINDOW=no leaves out the workbench's window.
# Usage: [BASELINE=PRODUCT_FOLDER] [WINDOW=no] scripts/benchmark-startup.sh [RUNS]        (default 5)
set -u
runs=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
product="$repo/product/target/products/org.tensorscope.product/linux/gtk/x86_64"
baseline=${BASELINE:-}
model="$repo/testdata/tfjs/handskeleton/handskeleton.json"
[ -x "$product/tensorscope" ] || { echo "no product in $product: run ./mvnw -DskipTests package first" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline/tensorscope" ] || { echo "no product in BASELINE=$baseline" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

summary() { # what, then one number per line on stdin: median and range
  sort -n | awk -v what="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { printf "%-58s no result\n", what; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%-58s median %6.2f s   range %.2f - %.2f s   (%d runs)\n", what, m / 1000, v[1] / 1000, v[NR] / 1000, NR }'
}

# Waits (at most a minute) until no AOT cache is being recorded or assembled in the background.
aot_settled() {
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/tensorscope/aot"
  for _ in $(seq 120); do
    [ -n "$(find "$dir" \( -name '*.aotconf' -o -name '*.tmp' \) -mmin -10 2>/dev/null | head -n 1)" ] || return 0
    sleep 0.5
  done
}

time_command() { # what, environment assignment, arguments...
  local what=$1 setting=$2; shift 2
  local label
  # once before timing: file caches, the CLI's configuration, the AOT caches
  env "$setting" "$product/tensorscope" "$@" >/dev/null 2>&1
  [ -n "$baseline" ] && env "$setting" "$baseline/tensorscope" "$@" >/dev/null 2>&1
  sleep 1
  aot_settled
  rm -f "$work/times."*
  for _ in $(seq "$runs"); do
    for label in ${baseline:+before} this; do
      local dir=$product
      [ "$label" = before ] && dir=$baseline
      # wall, then user + system CPU of the command's processes, in ms
      ( TIMEFORMAT='%R %U %S'; { time env "$setting" "$dir/tensorscope" "$@" >"$work/out" 2>&1; } 2>"$work/time" )
      awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time" >> "$work/times.$label"
    done
  done
  for label in ${baseline:+before} this; do
    local name=$what
    [ -n "$baseline" ] && name="$what [$label]"
    cut -d ' ' -f 1 "$work/times.$label" | summary "$name"
    [ -n "$baseline" ] && cut -d ' ' -f 2 "$work/times.$label" | summary "  CPU of its processes"
  done
}

# Writes the time (ms) at which a Tensorscope window is first mapped to the file $1, until killed:
# the X server reports each window mapped (xev), so nothing polls while the workbench starts.
# Polling the window tree every 50 ms, as this script did before, took most of a core from the
# workbench on two cores and nearly doubled the figure. GTK also makes unmapped windows named after
# the application as soon as SWT's display opens (its client leader), seconds before the workbench
# window shows: only a mapped one counts.
watch_window() {
  local marks=$1 line id
  : > "$marks"
  rm -f "$work/events"; mkfifo "$work/events"
  stdbuf -oL xev -root -event substructure >"$work/events" 2>/dev/null &
  local xev=$!
  while read -r line; do
    case "$line" in
      MapNotify*)
        local at; at=$(now_ms)
        read -r line
        id=$(echo "$line" | sed -n 's/.* window \(0x[0-9a-f]*\).*/\1/p')
        [ -s "$marks" ] || ! xwininfo -id "$id" 2>/dev/null | grep -q '"Tensorscope' || echo "$at" > "$marks" ;;
    esac
  done <"$work/events" &
  watcher_pids="$xev $!"
  sleep 0.3 # xev connected and listening
}

# The processes started under $1, children first (the launcher script's Java, its inference worker).
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# Ends the workbench started as $1: "close" asks its window to close (it exits and saves its layout,
# as when a user closes it), "kill" ends it at once (nothing saved). Returns once every process of the
# run has gone: a VM told to end still runs its shutdown for a second or two at full speed, which
# the next start would otherwise share the cores with.
end_workbench() {
  local app=$1 how=$2 pids
  pids=$(descendants "$app")
  if [ "$how" = close ] && python3 "$repo/scripts/close-window.py" Tensorscope >/dev/null 2>&1; then
    for _ in $(seq 600); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  fi
  pkill -P "$app" 2>/dev/null; kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
  for _ in $(seq 200); do # the server drops the window once the process has gone
    xwininfo -root -tree 2>/dev/null | grep -q '"Tensorscope' || break
    sleep 0.05
  done
  local pid
  for pid in $pids; do
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

# what, workspace, how the previous run ended (kill, close), runs: from the start to the Tensorscope
# window being mapped (DISPLAY set)
time_window() {
  local what=$1 workspace=$2 how=$3 count=$4
  for _ in $(seq "$count"); do
    case "$what" in *cold*) rm -rf "$workspace" ;; esac
    watch_window "$work/mapped"
    local start; start=$(now_ms)
    TENSORSCOPE_WORKSPACE="$workspace" "$product/tensorscope" >/dev/null 2>&1 &
    local app=$! shown="" polls=0
    # at most two minutes: a start that shows no window gives no figure instead of holding the script up
    while kill -0 "$app" 2>/dev/null && [ ! -s "$work/mapped" ] && [ "$polls" -lt 600 ]; do
      sleep 0.2; polls=$((polls + 1))
    done
    [ -s "$work/mapped" ] && shown=$(( $(cat "$work/mapped") - start ))
    [ "$how" = close ] && sleep 2 # closing at once would race the workbench's own start-up
    end_workbench "$app" "$how"
    # shellcheck disable=SC2086
    kill $watcher_pids 2>/dev/null; wait $watcher_pids 2>/dev/null
    [ -n "$shown" ] && echo "$shown"
  done | summary "$what"
}

if [ "${2:-}" = --windows ]; then # the second half, under the X server started below
  # once, not timed: the files' caches, and on Java 25+ the AOT cache the first start makes
  time_window "workbench, first start (not counted)" "$3" close 1 >/dev/null
  aot_settled # the workbench's cache is assembled in the background once its first start has ended
  time_window "workbench start to window, cold (new workspace)" "$3" kill "$runs"
  time_window "workbench start to window, warm (same workspace)" "$3" kill "$runs"
  if command -v python3 >/dev/null; then
    # the first of these restores what the killed runs left (nothing saved): it is not counted
    time_window "workbench, closed normally (not counted)" "$3" close 1 >/dev/null
    time_window "workbench start to window, warm, after a normal close" "$3" close "$runs"
  fi
  exit 0
fi

echo "load average at the start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
time_command "tensorscope help" "TENSORSCOPE_WORKER=process" help
time_command "tensorscope trace handskeleton (worker process)" "TENSORSCOPE_WORKER=process" trace "$model"
time_command "tensorscope trace handskeleton (in-process)" "TENSORSCOPE_WORKER=in-process" trace "$model"
if [ "${WINDOW:-yes}" = no ]; then
  echo "workbench start to window: not measured (WINDOW=no)"
elif command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null && command -v xev >/dev/null; then
  xvfb-run -a -s "-screen 0 1280x1024x24" bash "$0" "$runs" --windows "$work/workspace"
else
  echo "workbench start to window: not measured (needs xvfb-run, and xwininfo and xev from x11-utils)"
fi
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
