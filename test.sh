#!/usr/bin/env bash
# The test command: starts PostgreSQL, Redis and RabbitMQ locally (deploy/local/start.sh), builds
# the solution once, runs every tests/**/*Tests.csproj (Foo.Tests, Foo.IntegrationTests; not
# *Benchmarks*) and prints, as the last line, "N passed, N failed, N skipped" over all projects.
#   ./test.sh                               # everything
#   ./test.sh --filter "FullyQualifiedName~Scoring"   # extra args go to every `dotnet test`
# The servers are left running so tests can be rerun; stop them with deploy/local/stop.sh.
# Exit status is non-zero if a test failed, a project failed to build/run, or no test ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

summary() { echo "${1:-0} passed, ${2:-0} failed, ${3:-0} skipped"; }

if ! bash deploy/local/start.sh; then
  echo "SERVERS FAILED TO START"; summary; exit 1
fi
source deploy/local/env.sh
# The browser tests drive the system Chromium (Playwright never downloads a browser here).
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "==> installing Debian's chromium for the browser tests"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || echo "could not install chromium: the browser tests will fail"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="$PWD/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"  # stale TRX files must not be counted

echo "==> dotnet build Moderation.sln -c Release"
if ! dotnet build Moderation.sln -c Release; then
  echo "BUILD FAILED"; summary; exit 1
fi

# Prints "passed failed skipped" from a TRX file's <Counters>, or nothing if it has none.
# error/timeout/aborted count as failed. Skipped: VSTest leaves xunit skips out of notExecuted
# (it reports them only as total - executed), so take the larger of the two.
trx_counts() {
  if command -v python3 >/dev/null && python3 -c 'import xml.etree.ElementTree' 2>/dev/null; then
    python3 - "$1" <<'PY' 2>/dev/null || true
import sys, xml.etree.ElementTree as ET
for el in ET.parse(sys.argv[1]).iter():
    if el.tag.rsplit('}', 1)[-1] == 'Counters':
        n = lambda k: int(el.get(k, 0) or 0)
        print(n('passed'), n('failed') + n('error') + n('timeout') + n('aborted'),
              max(n('notExecuted'), n('total') - n('executed')))
        break
PY
  else
    local tag; tag="$(grep -o '<Counters [^>]*>' "$1" | head -n1)" || return 0
    [ -n "$tag" ] || return 0
    attr() { local v; v="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$tag")"; echo "${v:-0}"; }
    local ne te; ne=$(attr notExecuted); te=$(( $(attr total) - $(attr executed) ))
    echo "$(attr passed) $(( $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted) )) $(( ne > te ? ne : te ))"
  fi
}

mapfile -t projects < <(find tests -type f -name '*Tests.csproj' ! -name '*Benchmarks*' \
  ! -path '*/bin/*' ! -path '*/obj/*' | sort)
if [ ${#projects[@]} -eq 0 ]; then
  echo "no tests/**/*Tests.csproj found"; summary; exit 1
fi

passed=0 failed=0 skipped=0 broken=()
i=0
for proj in "${projects[@]}"; do
  i=$((i + 1)); name="$(basename "$proj" .csproj)"; trx="$results/$name.trx"
  echo "==> [$i/${#projects[@]}] $name"
  rc=0
  dotnet test "$proj" -c Release --no-build --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" "$@" || rc=$?
  counts=""; [ -f "$trx" ] && counts="$(trx_counts "$trx")"
  if [ -n "$counts" ]; then
    read -r p f s <<<"$counts"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    echo "    $name: $p passed, $f failed, $s skipped (exit $rc)"
    # A non-zero exit with no failed test means the run itself broke (e.g. test host crash).
    [ "$rc" = 0 ] || [ "$f" -gt 0 ] || broken+=("$name (exit $rc, no failed test reported)")
  elif [ "$rc" != 0 ]; then
    broken+=("$name (exit $rc, no test results)")
  else
    echo "    $name: no test results (no tests matched?)"
  fi
done

status=0
for b in "${broken[@]+"${broken[@]}"}"; do echo "FAILED TO RUN: $b"; status=1; done
[ "$failed" -eq 0 ] || status=1
if [ $((passed + failed)) -eq 0 ]; then echo "NO TESTS RAN"; status=1; fi
summary "$passed" "$failed" "$skipped"
exit "$status"
