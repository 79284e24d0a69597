"""Prodigy and doccano exports, read with plain json: shapes, counts and Prodigy's hashes
recomputed with `murmurhash` (the package Prodigy and spaCy hash with)."""

import json
import sys
from importlib.metadata import version
from pathlib import Path

import murmurhash

from common import LABELS, check, load_expected

work = Path(sys.argv[1])
expected = load_expected(work)


def read(name):
    return [json.loads(line) for line in (work / name).open(encoding="utf-8")]


tasks = read("export.prodigy.jsonl")
check(len(tasks) == expected["annotated"], f"prodigy: {len(tasks)} tasks")
suffix = "".join("\n" + label for label in LABELS)
for task in tasks:
    check(list(task) == ["text", "options", "accept", "answer", "meta", "_input_hash",
                         "_task_hash"], f"prodigy keys {list(task)}")
    check(task["options"] == [{"id": l, "text": l} for l in LABELS], "options")
    check(task["answer"] == "accept" and set(task["accept"]) <= set(LABELS), "accept")
    check(set(task["meta"]) == {"article_id", "sentence_index"}, "meta")
    for key in ("_input_hash", "_task_hash"):
        check(isinstance(task[key], int) and -2**31 <= task[key] < 2**31, f"{key} range")
    check(task["_input_hash"] == murmurhash.hash(task["text"]), "input hash")
    check(task["_task_hash"] == murmurhash.hash(task["text"] + suffix), "task hash")
for label in LABELS:
    check(sum(label in t["accept"] for t in tasks) == expected["labels"][label], f"accept {label}")

doccano = read("export.doccano.jsonl")
check(len(doccano) == expected["annotated"], f"doccano: {len(doccano)} lines")
check(all(list(d) == ["text", "label"] for d in doccano), "doccano keys")
for label in LABELS:
    check(sum(label in d["label"] for d in doccano) == expected["labels"][label], f"doccano {label}")
check([d["text"] for d in doccano] == [t["text"] for t in tasks], "same sentences, same order")
print(f"prodigy: {len(tasks)} tasks, hashes match murmurhash {version('murmurhash')}; "
      f"doccano: {len(doccano)} lines")
