"""`stance stats --json` agrees with the counts the corpus and journal were written with,
which every export was checked against."""

import json
import sys
from pathlib import Path

from common import LABELS, check, load_expected

work = Path(sys.argv[1])
expected = load_expected(work)
stats = json.loads((work / "stats.json").read_text())
check(stats["articles"] == len(expected["articles"]), f"stats articles {stats['articles']}")
check(stats["sentences"] == expected["sentences"],
      f"stats sentences {stats['sentences']}, want {expected['sentences']}")
check(stats["annotated"] == expected["annotated"],
      f"stats annotated {stats['annotated']}, want {expected['annotated']}")
check(stats["no_stance"] == expected["negatives"], f"stats no_stance {stats['no_stance']}")
for label in LABELS:
    check(stats["labels"][label] == expected["labels"][label],
          f"stats {label} {stats['labels'][label]}, want {expected['labels'][label]}")
check(stats["orphaned"] == 0, f"stats orphaned {stats['orphaned']}")
print(f"stats --json agrees: {stats['annotated']} annotated, {stats['no_stance']} no stance, "
      f"labels {stats['labels']}")
