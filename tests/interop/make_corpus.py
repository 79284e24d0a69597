"""Writes a generated news corpus, a label journal and the counts an export must show.

usage: make_corpus.py OUT_DIR [--articles N] [--seed N]

OUT_DIR/corpus.jsonl   one article per line: id, title, text, and metadata subject and
                       date (ISO); one article in ten has no date
OUT_DIR/labels.jsonl   the journal, one `set` event per annotated sentence (format of
                       src/store/event.rs), single annotator
OUT_DIR/expected.json  sentences, annotated, per-label and negative counts, per article
                       sentence and annotated counts, per article metadata

Sentences are plain (no abbreviations), so any reasonable segmenter splits them where
they were joined; the export's report of orphans (none expected) checks that.
"""

import argparse
import json
import random
from pathlib import Path

from common import fnv1a64

TEMPLATES = {
    ("diplomatic",): [
        "The foreign minister met the {c} envoy on {d} and agreed to resume talks.",
        "Both sides said a joint statement could be signed in {m}.",
        "Diplomats from {c} called for calm and a return to dialogue.",
        "The summit in Genève ended with a pledge to keep negotiating.",
        "Leaders of {c} exchanged congratulatory messages on {d}.",
    ],
    ("sanctions",): [
        "{c} froze the assets of three shipping firms on {d}.",
        "Exports of crude oil to {c} fell {n}% after the embargo took effect.",
        "The ministry banned imports of seafood and coal from {c}.",
        "New tariffs on steel from {c} will start in {m}.",
        "Customs data showed shipments of chips to {c} stopped in {m}.",
    ],
    ("military",): [
        "{c} test-fired a cruise missile on {d}, the army said.",
        "About {n},000 troops took part in drills near the border.",
        "Warships from {c} sailed through the strait on {d}.",
        "The air force moved fighter jets to a base near 北京 in {m}.",
        "Artillery units fired live rounds during the exercise.",
    ],
    ("military", "sanctions"): [
        "The embargo on {c} will stay until its troops leave the border area.",
        "Sanctions on arms makers in {c} followed the missile test on {d}.",
    ],
    (): [
        "Markets in {c} were closed on {d} for a holiday.",
        "The statement did not elaborate.",
        "Heavy rain delayed flights in {c} on {d}.",
        "Analysts said it was too early to tell.",
    ],
}
COUNTRIES = ["Norland", "Vesk", "Karamir", "Ostria", "Belavia", "Tamsen", "Côte Verte"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "May", "June", "July"]
SUBJECTS = ["politicsNews", "worldnews", "Middle-east"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    stances = list(TEMPLATES)
    weights = [3, 3, 3, 1, 3]
    expected = {"sentences": 0, "annotated": 0, "negatives": 0,
                "labels": {"diplomatic": 0, "sanctions": 0, "military": 0},
                "articles": {}, "annotated_by_article": {}, "meta": {}}
    ts = 1_700_000_000_000
    with open(args.out / "corpus.jsonl", "w", encoding="utf-8") as corpus, \
            open(args.out / "labels.jsonl", "w", encoding="utf-8") as journal:
        for a in range(args.articles):
            article_id = f"wire-{a:05d}"
            picked = []
            annotated = 0
            for _ in range(rng.randint(3, 8)):
                stance = rng.choices(stances, weights)[0]
                sentence = rng.choice(TEMPLATES[stance]).format(
                    c=rng.choice(COUNTRIES), d=rng.choice(DAYS), m=rng.choice(MONTHS),
                    n=rng.randint(2, 60))
                picked.append((sentence, stance))
            text = ""
            for i, (sentence, stance) in enumerate(picked):
                if i:
                    text += "\n" if rng.random() < 0.3 else " "
                start = len(text.encode("utf-8"))
                text += sentence
                end = len(text.encode("utf-8"))
                # Four sentences in five are annotated; the rest stay unlabeled.
                if rng.random() < 0.8:
                    ts += 1
                    journal.write(json.dumps({
                        "v": 1, "op": "set", "article": article_id, "start": start,
                        "end": end, "fp": f"{fnv1a64(sentence.encode('utf-8')):016x}",
                        "labels": list(stance), "annotator": "analyst", "ts": ts,
                        "origin": "typed", "text": sentence}, ensure_ascii=False) + "\n")
                    expected["annotated"] += 1
                    annotated += 1
                    if not stance:
                        expected["negatives"] += 1
                    for label in stance:
                        expected["labels"][label] += 1
            expected["sentences"] += len(picked)
            expected["articles"][article_id] = len(picked)
            expected["annotated_by_article"][article_id] = annotated
            meta = {"subject": rng.choice(SUBJECTS)}
            if rng.random() < 0.9:
                meta["date"] = f"2017-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            expected["meta"][article_id] = meta
            corpus.write(json.dumps({"id": article_id, "title": f"Report {a}", "text": text,
                                     **meta}, ensure_ascii=False) + "\n")
    (args.out / "expected.json").write_text(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
