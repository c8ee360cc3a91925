#!/usr/bin/env bash
# Installs what the build, the tests and the sandbox need on a fresh Debian machine of this kind.
# Idempotent; needs root (or sudo). Only Debian packages and Maven Central are used.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v git >/dev/null 2>&1 || need+=(git)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v mkfs.btrfs >/dev/null 2>&1 || need+=(btrfs-progs)
command -v mkfs.xfs >/dev/null 2>&1 || need+=(xfsprogs)
command -v fsfreeze >/dev/null 2>&1 || need+=(util-linux)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
command -v losetup >/dev/null 2>&1 || need+=(mount)
command -v xfs_repair >/dev/null 2>&1 || need+=(xfsprogs)
# drives the testkit AWS endpoint in a protocol-fidelity test (skipped with the reason when absent)
command -v aws >/dev/null 2>&1 || need+=(awscli)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15 postgresql-client-15)

if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# the tests start throwaway PostgreSQL clusters as this user when they run as root
id postgres >/dev/null 2>&1 || $SUDO useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
