#!/usr/bin/env bash
# Computes every agreement coefficient with stance and with the reference implementations:
# first on plain inputs through the library (the agree example), then on real label stores
# through `stance agree --json`.
# usage: tests/interop_agree/run.sh PYTHON [AGREE_EXAMPLE [STANCE]]
#   PYTHON: a Python with tests/interop_agree/requirements.txt installed
#   AGREE_EXAMPLE: default target/debug/examples/agree (`cargo build --example agree`)
#   STANCE: default target/debug/stance (`cargo build`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${1:?usage: run.sh PYTHON [AGREE_EXAMPLE [STANCE]]}
agree=${2:-$here/../../target/debug/examples/agree}
stance=${3:-$here/../../target/debug/stance}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" "$here/check_agree.py" write "$work/inputs"
"$agree" "$work"/inputs/*.json > "$work/figures.jsonl"
"$python" "$here/check_agree.py" check "$work/inputs" "$work/figures.jsonl"

"$python" "$here/check_agree.py" write-stores "$work/stores"
for store in "$work"/stores/*/; do
  "$stance" agree "$store/corpus.jsonl" --labels "$store/labels.jsonl" --json > "$store/agree.json"
done
"$python" "$here/check_agree.py" check-stores "$work/stores"
