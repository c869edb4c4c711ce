#!/usr/bin/env bash
# The test command: fresh virtual environment, install, run the whole test suite.
# Needs the benchmark corpora in ../shared/data (or $SYNTHCLIN_SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${SYNTHCLIN_TEST_VENV:-.venv-test}"
rm -rf "$VENV"
bash scripts/install.sh "$VENV"
set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "✘ pytest collected no test" >&2
fi
exit "$rc"
