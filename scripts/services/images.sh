#!/usr/bin/env bash
# Make sure the sandbox toolbox image exists: build it from Debian packages (mmdebstrap +
# docker import, no registry needed) only when it is missing or its package list changed.
# Idempotent; needs a Docker engine (scripts/services/docker.sh) and root for mmdebstrap.
set -euo pipefail
cd "$(dirname "$0")/../.."
CODERLHF=.venv/bin/coderlhf
if ! docker info >/dev/null 2>&1; then
  echo "images: no Docker engine answers (run scripts/services/docker.sh)" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
fi
if ! command -v bwrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; }
fi
# The build runs with the real user config out of the way: tests use the default image tag.
CODERLHF_CONFIG=/nonexistent/coderlhf-config.yaml "$CODERLHF" images build --from-debian
