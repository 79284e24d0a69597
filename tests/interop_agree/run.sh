#!/usr/bin/env bash
# Computes every agreement coefficient with stance and with the reference implementations.
# usage: tests/interop_agree/run.sh PYTHON [AGREE_EXAMPLE]
#   PYTHON: a Python with tests/interop_agree/requirements.txt installed
#   AGREE_EXAMPLE: default target/debug/examples/agree (`cargo build --example agree`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${1:?usage: run.sh PYTHON [AGREE_EXAMPLE]}
agree=${2:-$here/../../target/debug/examples/agree}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" "$here/check_agree.py" write "$work/inputs"
"$agree" "$work"/inputs/*.json > "$work/figures.jsonl"
"$python" "$here/check_agree.py" check "$work/inputs" "$work/figures.jsonl"
