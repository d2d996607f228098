#!/usr/bin/env bash
# The test suite on SQLite, then on PostgreSQL when one answers; says which it ran.
set -uo pipefail
BIN=${BIN:-.venv/bin}
PG_URL=${BYLINE_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
WORKERS=${TEST_WORKERS:-auto}
ran=()
failed=0

echo "== lint (ruff) and migrations check"
"$BIN/ruff" check src tests || failed=1
BYLINE_SECRET_KEY=lint "$BIN/byline" makemigrations --check --dry-run -v0 \
  || { echo "models and migrations disagree: run 'byline makemigrations'"; failed=1; }

if [ -n "$(command -v chromium || true)" ]; then
  echo "== browser tests: Chromium at $(command -v chromium)"
else
  echo "== Chromium is not installed: the browser tests will be SKIPPED (apt-get install chromium)"
fi

run_suite() {
  local name=$1 extra=$2; shift 2
  echo "== tests on $name"
  # shellcheck disable=SC2086
  if env "$@" "$BIN/pytest" -n "$WORKERS" -q -p no:cacheprovider $extra; then
    ran+=("$name: passed")
  else
    ran+=("$name: FAILED"); failed=1
  fi
}

run_suite SQLite "" BYLINE_DATABASE_URL=sqlite:///:memory:

if "$BIN/python" - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
then
  # The browser tests drive a server of their own on a SQLite file: they ran above.
  run_suite PostgreSQL "--ignore=tests/e2e" BYLINE_DATABASE_URL="$PG_URL"
else
  echo "== PostgreSQL at $PG_URL does not answer: tests ran on SQLite only"
  ran+=("PostgreSQL: not reachable, not run")
fi

echo
echo "== the suite ran on these databases:"
printf '   %s\n' "${ran[@]}"
exit $failed
