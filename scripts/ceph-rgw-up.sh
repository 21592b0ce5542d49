#!/usr/bin/env bash
# Starts a throw-away Ceph cluster on this machine for the S3 tests: one monitor, one OSD whose
# objects live in memory (memstore), and the RADOS Gateway (S3 API) on 127.0.0.1:${VILLERS_RGW_PORT:-7480}.
# No cephx, no systemd, nothing listening beyond loopback. Creates an S3 user and a bucket `villers`.
#   scripts/ceph-rgw-up.sh [STATE_DIR]      (default $TMPDIR/villers-ceph; wiped first)
# Prints the environment the tests read (VILLERS_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
set -euo pipefail
state=$(realpath -m "${1:-${TMPDIR:-/tmp}/villers-ceph}")
port=${VILLERS_RGW_PORT:-7480}
key=${VILLERS_S3_KEY:-villers-test-key}
secret=${VILLERS_S3_SECRET:-villers-test-secret}

if ! command -v radosgw >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd ceph-common curl >/dev/null
fi
"$(dirname "$0")/ceph-rgw-down.sh" "$state" || true
rm -rf "$state"
mkdir -p "$state"/{run,log,mon,osd,rgw}
fsid=$(cat /proc/sys/kernel/random/uuid)
conf="$state/ceph.conf"
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:6789
public_addr = 127.0.0.1
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_objectstore = memstore
memstore_device_bytes = ${VILLERS_RGW_BYTES:-2147483648}
run_dir = $state/run
admin_socket = $state/run/\$name.asok
pid_file = $state/run/\$name.pid
log_file = $state/log/\$name.log
keyring = $state/keyring
[mon.a]
mon_data = $state/mon
[osd.0]
osd_data = $state/osd
[client.rgw.villers]
rgw_frontends = beast endpoint=127.0.0.1:$port
rgw_data = $state/rgw
CONF
export CEPH_CONF=$conf

# Waits for a condition, up to 30 s.
until_ok() { for _ in $(seq 1 60); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.5; done; echo "ceph-rgw-up: timed out on: $*" >&2; return 1; }

ceph-authtool --create-keyring "$state/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --add a v1:127.0.0.1:6789 --fsid "$fsid" "$state/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$state/monmap" --keyring "$state/keyring"
ceph-mon -i a
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
until_ok ceph --connect-timeout 5 osd new "$osd_uuid"
ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" 2>/dev/null
ceph osd crush add-bucket node host >/dev/null 2>&1 || true
ceph osd crush move node root=default >/dev/null 2>&1 || true
ceph osd crush add osd.0 1.0 host=node >/dev/null 2>&1 || true
ceph-osd -i 0 2>/dev/null
until_ok sh -c 'ceph osd stat | grep -q "1 up"'
radosgw -n client.rgw.villers
until_ok curl -sf -o /dev/null "http://127.0.0.1:$port/"
radosgw-admin user create --uid=villers --display-name=villers --access-key="$key" --secret-key="$secret" >/dev/null 2>&1 || true
echo "export VILLERS_S3_ENDPOINT=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1"
