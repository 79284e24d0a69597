"""Hugging Face `datasets` reads the jsonl export; counts, splits and the `label` column."""

import sys
from collections import Counter
from pathlib import Path

import datasets

from common import LABELS, check, load_expected, split_of

work = Path(sys.argv[1])
expected = load_expected(work)
datasets.disable_progress_bars()

ds = datasets.load_dataset("json", data_files=str(work / "export.jsonl"),
                           split="train", cache_dir=str(work / "hf-cache"))
check(ds.num_rows == expected["annotated"], f"{ds.num_rows} rows, want {expected['annotated']}")
check(set(ds.column_names) == {"text", "labels", "article_id", "sentence_index", "start", "end",
                               "annotator", "split"}, f"columns {ds.column_names}")
check(str(ds.features["labels"].feature.dtype) == "string", f"labels {ds.features['labels']}")
counts = Counter(label for labels in ds["labels"] for label in labels)
for label in LABELS:
    check(counts[label] == expected["labels"][label],
          f"{label}: {counts[label]}, want {expected['labels'][label]}")
check(sum(1 for labels in ds["labels"] if not labels) == expected["negatives"], "negatives")

# Splits: one per article, and the documented hash reproduces every assignment.
by_split = {name: ds.filter(lambda row, n=name: row["split"] == n) for name in ("train", "dev", "test")}
check(sum(part.num_rows for part in by_split.values()) == ds.num_rows, "split rows add up")
placed = {}
for row in ds.select_columns(["article_id", "split"]):
    check(placed.setdefault(row["article_id"], row["split"]) == row["split"],
          f"{row['article_id']} in two splits")
    check(row["split"] == split_of(row["article_id"], 7, (80, 10, 10)),
          f"{row['article_id']}: split differs from the documented hash")
check(by_split["train"].num_rows > by_split["test"].num_rows, "train is the largest part")

# The exclusive-schema export has `label`, the column text-classification examples read.
ex = datasets.load_dataset("json", data_files=str(work / "exclusive.jsonl"),
                           split="train", cache_dir=str(work / "hf-cache"))
check("label" in ex.column_names, f"no label column: {ex.column_names}")
single = sum(1 for labels in ds["labels"] if len(labels) == 1)
labeled = ex.filter(lambda row: row["label"] is not None)
check(labeled.num_rows == single, f"{labeled.num_rows} single-label rows, want {single}")
encoded = labeled.class_encode_column("label")
check(sorted(encoded.features["label"].names) == sorted(LABELS), f"{encoded.features['label']}")
print(f"datasets {datasets.__version__}: {ds.num_rows} rows, "
      f"{ {k: v.num_rows for k, v in by_split.items()} }, exclusive {labeled.num_rows} labeled")
