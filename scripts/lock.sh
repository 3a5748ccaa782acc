#!/usr/bin/env bash
# Regenerate the pinned, hashed lock files from pyproject.toml:
#   requirements.lock      the runtime dependencies (what the desk needs)
#   requirements-dev.lock  runtime + the `dev` extra (what the tests need)
# Run after editing dependencies in pyproject.toml, then commit both files.
# Extra arguments go to pip-compile, e.g. `scripts/lock.sh --upgrade` or
# `scripts/lock.sh --upgrade-package rich`.
set -euo pipefail
cd "$(dirname "$0")/.."

PIP_COMPILE=${PIP_COMPILE:-.venv/bin/pip-compile}
if [ ! -x "$PIP_COMPILE" ]; then
    echo "lock.sh: $PIP_COMPILE not found; run 'python3 scripts/bootstrap.py test' first (pip-tools is in the dev extra)" >&2
    exit 1
fi

# Shown in the lock files' header as the command that made them.
export CUSTOM_COMPILE_COMMAND="scripts/lock.sh"
# No index or find-links lines: a lock must not name this machine's package mirrors.
# --allow-unsafe pins pip/setuptools too, so --require-hashes installs never meet an unhashed one.
common=(--quiet --generate-hashes --allow-unsafe --strip-extras
        --no-emit-index-url --no-emit-find-links --no-emit-trusted-host)

# The dev lock is resolved first; the runtime lock is constrained by it so that both
# files pin the same version of every package they share.
"$PIP_COMPILE" "${common[@]}" "$@" --extra dev -o requirements-dev.lock pyproject.toml
"$PIP_COMPILE" "${common[@]}" "$@" -c requirements-dev.lock -o requirements.lock pyproject.toml
echo "lock.sh: wrote requirements.lock and requirements-dev.lock"
