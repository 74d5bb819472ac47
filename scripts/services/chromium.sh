#!/usr/bin/env bash
# Headless Chromium for the HTML report's screenshot test. Idempotent: installs Debian's
# package only when no chromium binary is present; exits non-zero if it cannot.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "chromium: present ($(chromium --version 2>/dev/null || echo unknown version))"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium: missing, and installing it needs root (apt-get install -y chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
chromium --version
