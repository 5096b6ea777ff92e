#!/usr/bin/env bash
# Installs bubblewrap (Debian's package), the sandbox that graded student code runs in.
# Used by `make sandbox` and by CI before the grading tests; does nothing if bwrap exists.
set -euo pipefail
if command -v bwrap >/dev/null; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap
bwrap --version
