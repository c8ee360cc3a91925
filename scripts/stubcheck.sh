#!/usr/bin/env bash
# Checks jenkins-api-stubs and jenkins-test-harness-stubs against the real sources their READMEs name, with the
# stubcheck tool of shared/ (jenkins-api-stubs/README.md, "Checking the stubs against the real sources").
# Prints every finding and the counts; exit status 1 on any ERROR or WARN.
#   MIRRORS    folder of the fetched bare mirrors, one per repository of the tool's sources.tsv, laid out either as
#              <owner>+<name>/repo (what the search tool's fetch leaves, default /work/.mirror) or as <owner>+<name>
#   STUBCHECK  the tool's folder (default: shared/tools/stubcheck beside the project's folder or its parent's)
#   REALSRC    where the real sources are laid out (default /tmp/realsrc-<project folder name>)
#   REFS       optional "name=ref ..." overrides passed on to prepare-real-sources.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${STUBCHECK:-}
if [[ -z $tool ]]; then
  for d in "$root/../shared/tools/stubcheck" "$root/../../shared/tools/stubcheck"; do
    [[ -f $d/run.sh ]] && { tool=$(cd "$d" && pwd); break; }
  done
fi
[[ -n $tool && -f $tool/run.sh ]] || { echo "stubcheck not found: set STUBCHECK to shared/tools/stubcheck" >&2; exit 2; }
mirrors=${MIRRORS:-/work/.mirror}
export REALSRC=${REALSRC:-/tmp/realsrc-$(basename "$root")}

# prepare-real-sources.sh reads $MIRRORS/<owner>+<name>/repo: link mirrors kept as <owner>+<name> into that layout
links=$REALSRC-mirrors
rm -rf "$links"; mkdir -p "$links"
while read -r name repo _; do
  [[ -z $name || $name == \#* || $repo == mvn:* ]] && continue
  dir=${repo/\//+}
  mkdir -p "$links/$dir"
  if [[ -d $mirrors/$dir/repo ]]; then ln -s "$mirrors/$dir/repo" "$links/$dir/repo"
  elif [[ -d $mirrors/$dir ]]; then ln -s "$mirrors/$dir" "$links/$dir/repo"
  fi
done < "$tool/sources.tsv"

# git archive names blobs a mirror lacks (large test resources outside the checked source folders): not a failure
MIRRORS=$links "$tool/prepare-real-sources.sh"
PROJECT=$root "$tool/run.sh"
