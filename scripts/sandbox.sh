#!/usr/bin/env bash
# The run command of README.md: installs prerequisites, builds bbdc-ops and runs `bbdc-ops sandbox`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
# -Pstubbed: the reactor's default also loads plugin/pom.xml, whose parent only the Jenkins artifact repository has
mvn -B -ntp -q -Pstubbed -DskipTests -pl cli -am package
exec java -jar cli/target/bbdc-ops.jar sandbox "$@"
