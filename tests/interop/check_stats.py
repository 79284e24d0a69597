"""`stance stats --json` agrees with the counts the corpus and journal were written with.
Label counts are compared when stats reports them (`annotated`, `labels`)."""

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
checked = ["articles", "sentences"]
if "annotated" in stats:
    check(stats["annotated"] == expected["annotated"],
          f"stats annotated {stats['annotated']}, want {expected['annotated']}")
    checked.append("annotated")
if "labels" in stats:
    for label in LABELS:
        check(stats["labels"][label] == expected["labels"][label], f"stats {label}")
    checked.append("labels")
print(f"stats --json agrees on {', '.join(checked)}")
