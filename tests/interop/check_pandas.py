"""pandas reads the jsonl and csv exports; the 0/1 columns agree with `labels`."""

import sys
from pathlib import Path

import pandas as pd

from common import LABELS, check, load_expected

work = Path(sys.argv[1])
expected = load_expected(work)

lines = pd.read_json(work / "export.jsonl", lines=True)
check(len(lines) == expected["annotated"], f"jsonl: {len(lines)} rows")
check(lines["labels"].map(len).sum() == sum(expected["labels"].values()), "jsonl label total")

table = pd.read_csv(work / "export.csv", keep_default_na=False)
check(list(table.columns) == ["article_id", "sentence_index", "text", "labels", *LABELS, "split"],
      f"csv columns {list(table.columns)}")
check(len(table) == expected["annotated"], f"csv: {len(table)} rows")
for label in LABELS:
    check(int(table[label].sum()) == expected["labels"][label], f"csv {label}")
    joined = table["labels"].str.split(";").map(lambda names, l=label: l in names)
    check((joined == (table[label] == 1)).all(), f"csv {label} column disagrees with labels")
check(int((table[LABELS].sum(axis=1) == 0).sum()) == expected["negatives"], "csv negatives")
check((table["text"] == lines["text"]).all(), "csv and jsonl texts differ")

# With --include-unlabeled, unannotated rows have empty 0/1 cells: missing values.
everything = pd.read_csv(work / "unlabeled.csv")
check(len(everything) == expected["sentences"], f"{len(everything)} rows, want all sentences")
missing = everything[LABELS].isna().all(axis=1)
check(int(missing.sum()) == expected["sentences"] - expected["annotated"], "unlabeled rows")
check(int((~missing).sum()) == expected["annotated"], "labeled rows")
per_article = everything.groupby("article_id").size().to_dict()
check(per_article == expected["articles"], "sentences per article")
print(f"pandas {pd.__version__}: jsonl {len(lines)}, csv {len(table)}, "
      f"with unlabeled {len(everything)} ({int(missing.sum())} unlabeled)")
