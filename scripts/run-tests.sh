#!/usr/bin/env bash
# Run the whole test suite. pytest's exit code 5 (no tests collected) means the suite is
# broken, not that all is well: it fails the run with a clear message.
set -uo pipefail
bin=${1:-.venv/bin}
"$bin/pytest" "${@:2}"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests; the suite is broken (see above)" >&2
  exit 1
fi
exit "$rc"
