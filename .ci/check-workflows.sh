#!/usr/bin/env bash
# Validate the GitHub workflows and the composite action offline.
#
# check-jsonschema validates against the SchemaStore schemas vendored in its package
# (no download); zizmor audits security (permissions, credential persistence, template
# injection, unpinned actions) with its online audits disabled. Exit non-zero on any
# failure. Tools come from $VENV/bin when present (default .venv), else from PATH.
set -euo pipefail

cd "$(dirname "$0")/.."
venv="${VENV:-.venv}"
PATH="${venv}/bin:${PATH}"

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
    echo "check-workflows: no workflow files found" >&2
    exit 1
fi

status=0
echo "check-workflows: schema (vendor.github-workflows) on ${#workflows[@]} files"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" || status=1
echo "check-workflows: every job has timeout-minutes"
check-jsonschema --builtin-schema custom.github-workflows-require-timeout "${workflows[@]}" || status=1
echo "check-workflows: schema (vendor.github-actions) on action.yml"
check-jsonschema --builtin-schema vendor.github-actions action.yml || status=1

if command -v zizmor >/dev/null 2>&1; then
    echo "check-workflows: zizmor --offline"
    # No GitHub token and no network: only offline audits run.
    env -u GH_TOKEN -u GITHUB_TOKEN zizmor --offline --no-progress "${workflows[@]}" action.yml \
        || status=1
else
    echo "check-workflows: zizmor not installed; skipped (pip install zizmor)" >&2
fi
exit "$status"
