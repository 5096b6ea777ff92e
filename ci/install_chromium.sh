#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, unless CHROMIUM names another
# browser or chromium is already there. A browser download by the test tool never runs.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
