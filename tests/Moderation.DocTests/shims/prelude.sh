# Sourced before a file's blocks: stop at the first failing command, say where, and check expectations.
set -eE -o pipefail
__doc_seen=0

# A command failed: the test maps the script line to the document's.
__doc_failed() {
  echo "$2" >"$DOCTEST_STATE/failed-line"
  printf 'doc-test: exit %s from: %s\n' "$1" "$3" >&2
}
trap '__doc_failed $? $LINENO "$BASH_COMMAND"' ERR

__doc_block() { echo "$1" >"$DOCTEST_STATE/block"; }

# "# NNN {shape}" after a curl: the status is checked here, at once (what follows depends on it); the body is
# kept for the shape, which the test checks afterwards.
__doc_expect() {
  local id=$1 want=$2 line=$3 seq got
  seq=$(cat "$DOCTEST_STATE/curl.seq" 2>/dev/null || echo 0)
  if [ "$seq" = "$__doc_seen" ]; then
    printf 'doc-test: line %s: "# %s" expects the answer of a curl, and no curl ran since the last expectation\n' "$line" "$want" >&2
    exit 97
  fi
  __doc_seen=$seq
  got=$(cat "$DOCTEST_STATE/curl.status")
  cp "$DOCTEST_STATE/curl.body" "$DOCTEST_STATE/expect-$id.body"
  if [ "$got" != "$want" ]; then
    printf 'doc-test: line %s: expected status %s, got %s; body: %s\n' "$line" "$want" "$got" "$(head -c 1500 "$DOCTEST_STATE/curl.body")" >&2
    exit 98
  fi
}
