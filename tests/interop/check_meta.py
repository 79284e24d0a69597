"""`--meta` and `--where` as the consumers see them: datasets reads the jsonl `meta` object,
pandas the csv metadata columns; a filtered export holds exactly the matching articles."""

import sys
from pathlib import Path

import datasets
import pandas as pd

from common import check, load_expected

work = Path(sys.argv[1])
expected = load_expected(work)
meta = expected["meta"]
datasets.disable_progress_bars()

ds = datasets.load_dataset("json", data_files=str(work / "meta.jsonl"),
                           split="train", cache_dir=str(work / "hf-cache"))
check(ds.num_rows == expected["annotated"], f"meta.jsonl: {ds.num_rows} rows")
check(set(ds.features["meta"].keys()) == {"subject", "date"}, f"meta {ds.features['meta']}")
for row in ds.select_columns(["article_id", "meta"]):
    want = meta[row["article_id"]]
    got = row["meta"]
    check(got["subject"] == want["subject"], f"{row['article_id']}: subject {got}")
    # pyarrow's JSON reader, under datasets, reads ISO dates as timestamps.
    date = got["date"].date().isoformat() if got["date"] is not None else None
    check(date == want.get("date"), f"{row['article_id']}: date {got}, want {want}")

table = pd.read_csv(work / "meta.csv", keep_default_na=True)
check(list(table.columns[-2:]) == ["subject", "date"], f"csv columns {list(table.columns)}")
check(len(table) == expected["annotated"], f"meta.csv: {len(table)} rows")
subjects = table["article_id"].map(lambda a: meta[a]["subject"])
check((table["subject"] == subjects).all(), "csv subject column")
dates = table["article_id"].map(lambda a: meta[a].get("date"))
check((table["date"].isna() == dates.isna()).all(), "csv: a missing date is a missing value")
check((table["date"].dropna() == dates.dropna()).all(), "csv date column")

kept = {a for a, m in meta.items()
        if m["subject"].startswith("politics") and m.get("date", "") >= "2017-07-01"}
where = pd.read_json(work / "where.jsonl", lines=True)
check(set(where["article_id"]) <= kept, "where.jsonl holds an article the filter leaves out")
want_rows = sum(expected["annotated_by_article"][a] for a in kept)
check(len(where) == want_rows, f"where.jsonl: {len(where)} rows, want {want_rows}")
print(f"meta: datasets {ds.num_rows} rows with meta, pandas {len(table)} rows, "
      f"--where {len(where)} rows of {len(kept)} articles")
