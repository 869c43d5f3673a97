#!/usr/bin/env bash
# A new user's first run: clone this repository (its HEAD commit) into a temp dir, install with npm
# alone, and run `npm test` on a machine without the interop programs. It must pass, with the run's
# last line naming what was skipped and the command that installs it. .ci/run runs it after the
# full, strict run.
#
# "Without the interop programs": PATH becomes a folder of links to every program on PATH except
# kcat, lz4, zstd, openssl, java (so no Apache ZooKeeper, whose scripts need it) and python, plus a
# bare python3 (a venv without Debian's dist-packages: python3 without python3-kafka,
# python3-confluent-kafka or python3-kazoo, as on many machines; node-gyp still finds a python to
# build zstd-napi where its prebuilt binary cannot be downloaded). KTS_TEST_PYTHON=python3 makes the
# tests use that python3 instead of Debian's /usr/bin/python3. The clone has no ../shared beside it
# and KAFKA_PROTOCOL_DIR is unset, so Kafka's schemas are absent too.
#
# A reduced selection, for CI's time: `npm test` builds, lints and type-checks in full, but vitest
# runs every test file outside test/integration, and those in it that declare a requirement
# (`needs(`): the files that run differently without the programs. The other integration files
# need nothing beyond npm and pass in the strict run of the same commit just before; they are ~40%
# of its test time, and with them this check (which also pays ~1 min for npm ci, a cold build and a
# cold type check) would take about as long as the strict run, doubling .ci/run or more.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repo" rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/kts-fresh-clone-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "fresh-clone: cloning $commit into $work/kts"
git clone --quiet "$repo" "$work/kts"
git -C "$work/kts" checkout --quiet --detach "$commit"

bin="$work/bin"
mkdir "$bin"
IFS=: read -ra path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
  for program in "$dir"/*; do
    name=${program##*/}
    [ -f "$program" ] && [ -x "$program" ] && [ ! -e "$bin/$name" ] || continue
    case "$name" in
      kcat | kafkacat | lz4 | lz4c | lz4cat | unlz4 | zstd* | unzstd | openssl | java | python*) ;;
      *) ln -s "$program" "$bin/$name" ;;
    esac
  done
done

if [ -x /usr/bin/python3 ]; then /usr/bin/python3 -m venv --without-pip "$work/python"; fi

log="$work/npm-test.log"
status=0
(
  cd "$work/kts"
  unset KTS_TEST_STRICT KAFKA_PROTOCOL_DIR JAVA_HOME
  export PATH="$bin:$work/python/bin" KTS_TEST_PYTHON=python3
  selection=$({ ls -d test/*/ | grep -v '^test/integration/$'; git grep -l -e 'needs(' -- 'test/integration/**.test.ts'; } | xargs)
  npm ci --prefer-offline --no-fund --no-audit && npm test -- $selection
) >"$log" 2>&1 || status=$?

plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
summary=$(grep -E '^Skipped [0-9]+ tests? for lack of' <<<"$plain" || true)
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  tail -n 60 "$log"
  echo "fresh-clone: FAILED: npm test exited $status$([ -z "$summary" ] && echo ', and printed no skip summary')" >&2
  exit 1
fi
grep -E '^ *(Test Files|Tests|Duration) ' <<<"$plain" || true
echo "fresh-clone: npm test passed in a fresh clone without the interop programs"
echo "$summary"
