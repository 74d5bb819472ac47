#!/usr/bin/env bash
# Make sure a Docker engine answers: install Debian's docker.io when absent, start dockerd
# when no engine answers (docs/runners.md), and wait until it does. Idempotent.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if ! command -v dockerd >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
mkdir -p /var/log
nohup dockerd --storage-driver=overlay2 --iptables=false --bridge=none >/var/log/coderlhf-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "dockerd did not answer within 60 s; see /var/log/coderlhf-dockerd.log" >&2
exit 1
