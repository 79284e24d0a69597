#!/usr/bin/env bash
# Exports a generated corpus in every format and loads each with the real consumer.
# usage: tests/interop/run.sh PYTHON [STANCE_BINARY]
#   PYTHON: a Python with tests/interop/requirements.txt installed
#   STANCE_BINARY: default target/debug/stance
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
absolute() { case $1 in */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;; *) command -v "$1" ;; esac; }
python=$(absolute "${1:?usage: run.sh PYTHON [STANCE_BINARY]}")
stance=$(absolute "${2:-$here/../../target/debug/stance}")
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" "$here/make_corpus.py" "$work" --articles 400 --seed 1
cat > "$work/exclusive.toml" <<'TOML'
exclusive = true
[[labels]]
name = "diplomatic"
key = "1"
colour = "blue"
[[labels]]
name = "sanctions"
key = "2"
colour = "yellow"
[[labels]]
name = "military"
key = "3"
colour = "red"
TOML

export_to() {
  local out=$1
  shift
  "$stance" export "$work/corpus.jsonl" --labels "$work/labels.jsonl" --out "$work/$out" "$@" \
    2> "$work/$out.log" || { cat "$work/$out.log" >&2; exit 1; }
  if grep -q orphaned "$work/$out.log"; then
    echo "FAIL: $out: orphaned annotations" >&2; cat "$work/$out.log" >&2; exit 1
  fi
}
export_to export.jsonl --format jsonl --split 80,10,10 --seed 7
export_to export.csv --format csv --split 80,10,10 --seed 7
export_to unlabeled.csv --format csv --include-unlabeled
export_to export.spacy.jsonl --format spacy
export_to export.prodigy.jsonl --format prodigy
export_to export.doccano.jsonl --format doccano
export_to exclusive.jsonl --format jsonl --schema "$work/exclusive.toml"
export_to meta.jsonl --format jsonl --meta subject,date
export_to meta.csv --format csv --meta all
export_to where.jsonl --format jsonl --where subject=politics* --where 'date>=2017-07-01'
echo "per-split counts reported by stance export:"
sed 's/^/  /' "$work/export.jsonl.log"

cd "$here"
checks=(check_datasets.py check_pandas.py check_sklearn.py check_spacy.py check_shapes.py
  check_meta.py)
"$stance" stats "$work/corpus.jsonl" --labels "$work/labels.jsonl" --json > "$work/stats.json"
for check in "${checks[@]}" check_stats.py; do
  "$python" "$check" "$work"
done
echo "interop: exports and checks took $SECONDS s"
echo "interop: $((${#checks[@]} + 1)) passed, 0 failed"
