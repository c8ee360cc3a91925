#!/usr/bin/env bash
# The test command of README.md: installs prerequisites, then builds every module and runs every test.
# -Pstubbed: this machine cannot reach the Jenkins artifact repository, so the plugin is built against the Jenkins API
# stubs (plugin/stubbed, plugin/harness-check) instead of as the real .hpi, the reactor's default (docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
exec mvn -B -ntp -Pstubbed verify "$@"
