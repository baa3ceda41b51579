#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and a SeaweedFS S3 server answer on 127.0.0.1, installing and
# starting them when they do not. Idempotent; leaves them running for the next run.
set -euo pipefail
VENV=${VENV:-.venv}
S3_PORT=${AGORA_TEST_S3_PORT:-8433}
SEAWEED_DIR=${AGORA_SEAWEED_DIR:-/tmp/agora-seaweedfs}

log() { printf '[services] %s\n' "$*"; }
apt_ready=0
apt_install() {
  if [ "$apt_ready" = 0 ]; then apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then log "PostgreSQL is up"; return; fi
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    log "installing PostgreSQL"; apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  # A fresh cluster asks for a password over TCP (scram); the test URL carries this one.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
}

ensure_redis() {
  if command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    log "Redis is up"; return
  fi
  command -v redis-server >/dev/null || { log "installing Redis"; apt_install redis-server; }
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --logfile /tmp/agora-redis.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
}

s3_answers() {
  "$VENV/bin/python" - "$S3_PORT" <<'PY'
import sys, boto3
from botocore.config import Config
client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", aws_access_key_id="agora",
    aws_secret_access_key="agora-secret", region_name="us-east-1",
    config=Config(connect_timeout=1, read_timeout=3, retries={"max_attempts": 1}))
try:
    client.list_buckets()
except Exception:
    sys.exit(1)
PY
}

ensure_seaweedfs() {
  if s3_answers; then log "SeaweedFS S3 is up on $S3_PORT"; return; fi
  mkdir -p "$SEAWEED_DIR/data"
  cat > "$SEAWEED_DIR/s3.json" <<'JSON'
{"identities": [{"name": "agora", "credentials": [{"accessKey": "agora", "secretKey": "agora-secret"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
JSON
  log "starting SeaweedFS (weed mini) on 127.0.0.1:$S3_PORT"
  # Own ports, so a developer's SeaweedFS on the defaults is left alone; loopback only.
  nohup "$VENV/bin/weed" mini -dir="$SEAWEED_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port=9433 -volume.port=9440 -filer.port=8988 -s3.port="$S3_PORT" \
    -s3.config="$SEAWEED_DIR/s3.json" -webdav=false -admin.ui=false \
    -s3.port.iceberg=0 -s3.port.lance=0 > "$SEAWEED_DIR/weed.log" 2>&1 &
  echo $! > "$SEAWEED_DIR/weed.pid"
  for _ in $(seq 1 60); do s3_answers && { log "SeaweedFS is up"; return; }; sleep 1; done
  log "SeaweedFS did not start; its log:"; tail -n 40 "$SEAWEED_DIR/weed.log"; exit 1
}

ensure_postgres
ensure_redis
ensure_seaweedfs
