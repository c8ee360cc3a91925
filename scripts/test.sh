#!/usr/bin/env bash
# The test command of README.md: installs prerequisites, then builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
exec mvn -B -ntp verify "$@"
