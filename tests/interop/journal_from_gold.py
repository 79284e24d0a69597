"""Turns gen-corpus's gold labels into a label journal, for scale measurements.

usage: journal_from_gold.py CORPUS.jsonl GOLD.jsonl OUT_JOURNAL.jsonl

Every gold sentence becomes one `set` event (its stance, or no stance), found in the article
text by search; a sentence the segmenter splits differently becomes an orphan on export.
"""

import json
import sys


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main() -> None:
    corpus_path, gold_path, out_path = sys.argv[1:4]
    texts = {}
    with open(corpus_path, encoding="utf-8") as corpus:
        for line in corpus:
            article = json.loads(line)
            texts[article["id"]] = article["text"].encode("utf-8")
    ts = 1_700_000_000_000
    cursor = {}
    written = 0
    with open(gold_path, encoding="utf-8") as gold, open(out_path, "w", encoding="utf-8") as out:
        for line in gold:
            entry = json.loads(line)
            text = texts[entry["article"]]
            sentence = entry["text"].encode("utf-8")
            start = text.find(sentence, cursor.get(entry["article"], 0))
            if start < 0:
                continue
            end = start + len(sentence)
            cursor[entry["article"]] = end
            ts += 1
            out.write(json.dumps({
                "v": 1, "op": "set", "article": entry["article"], "start": start, "end": end,
                "fp": f"{fnv1a64(sentence):016x}",
                "labels": [entry["stance"]] if entry["stance"] else [],
                "annotator": "analyst", "ts": ts, "origin": "typed",
                "text": entry["text"]}, ensure_ascii=False) + "\n")
            written += 1
    print(f"{written} events", file=sys.stderr)


if __name__ == "__main__":
    main()
