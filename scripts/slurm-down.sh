#!/usr/bin/env bash
# Stops the daemons scripts/slurm-up.sh started, by their PID files, and waits for each to exit.
set -u
stop() {
  [ -s "$1" ] || return 0
  local p; p=$(cat "$1")
  kill "$p" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
  echo "process $p ($1) did not stop" >&2
}
stop /run/slurmd.pid
stop /run/slurmctld.pid
stop /run/munge/munged.pid
