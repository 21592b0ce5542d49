#!/usr/bin/env bash
# Stops what scripts/ceph-rgw-up.sh started, by the pid files in its state folder: gateway, OSD, monitor.
#   scripts/ceph-rgw-down.sh [STATE_DIR]    (default $TMPDIR/villers-ceph)
state=$(realpath -m "${1:-${TMPDIR:-/tmp}/villers-ceph}")
for daemon in client.rgw.villers osd.0 mon.a; do
  pidfile="$state/run/$daemon.pid"
  [ -s "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
done
exit 0
