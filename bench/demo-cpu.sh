#!/usr/bin/env bash
# The demo's own CPU on this machine: starts `centinela demo` with the default scenario (the
# mechanism's scale), waits until it prints its console, then samples the process's CPU ticks
# for SECONDS (default 120) and prints the average share of one core, its memory and uptime.
# Usage: bash bench/demo-cpu.sh [seconds]
set -euo pipefail
SECONDS_TO_SAMPLE="${1:-120}"
DATA_DIR="$(mktemp -d)"
OUT="$DATA_DIR/out.txt"
ERR="$DATA_DIR/err.txt"
cd "$(dirname "$0")/.."
START=$(date +%s)
CENTINELA_DATA_DIR="$DATA_DIR" node bin/centinela.js demo >"$OUT" 2>"$ERR" &
PID=$!
trap 'kill -INT $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT
until grep -q '^Console:' "$OUT"; do
  kill -0 $PID 2>/dev/null || { cat "$ERR"; exit 1; }
  sleep 1
done
READY=$(date +%s)
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
T0=$(ticks)
echo "ready after $((READY - START)) s, $(awk -v t="$T0" -v hz="$HZ" 'BEGIN{printf "%.1f", t/hz}') s of CPU to get there; $(uptime)"
sleep "$SECONDS_TO_SAMPLE"
T1=$(ticks)
RSS=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")
awk -v a="$T0" -v b="$T1" -v hz="$HZ" -v s="$SECONDS_TO_SAMPLE" -v rss="$RSS" \
  'BEGIN{printf "steady state over %d s: %.2f %% of one core, RSS %.0f MB\n", s, (b-a)/hz*100/s, rss/1024}'
echo "$(uptime)"
grep -E 'people and|panic alarm comes' "$OUT"
