"""spaCy: the `spacy` export becomes a DocBin and trains a textcat_multilabel a few steps."""

import json
import random
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from common import LABELS, check, load_expected

work = Path(sys.argv[1])
expected = load_expected(work)
nlp = spacy.blank("en")
records = [json.loads(line) for line in (work / "export.spacy.jsonl").open(encoding="utf-8")]
check(len(records) == expected["annotated"], f"{len(records)} records")

bin_ = DocBin(store_user_data=False)
for record in records:
    check(sorted(record["cats"]) == sorted(LABELS), f"cats {record['cats']}")
    doc = nlp.make_doc(record["text"])
    doc.cats = record["cats"]
    bin_.add(doc)
bin_.to_disk(work / "train.spacy")
docs = list(DocBin().from_disk(work / "train.spacy").get_docs(nlp.vocab))
check(len(docs) == len(records), "DocBin round trip")
for label in LABELS:
    check(sum(doc.cats[label] for doc in docs) == expected["labels"][label], f"cats {label}")

textcat = nlp.add_pipe("textcat_multilabel")
for label in LABELS:
    textcat.add_label(label)
examples = [Example(nlp.make_doc(doc.text), doc) for doc in docs]
optimizer = nlp.initialize(lambda: examples)
rng = random.Random(0)
losses_per_epoch = []
for _ in range(4):
    rng.shuffle(examples)
    losses = {}
    for start in range(0, len(examples), 64):
        nlp.update(examples[start:start + 64], sgd=optimizer, losses=losses)
    losses_per_epoch.append(losses["textcat_multilabel"])
check(losses_per_epoch[-1] < losses_per_epoch[0], f"loss did not fall: {losses_per_epoch}")
scores = nlp("Exports of crude oil to Vesk fell 9% after the embargo took effect.").cats
check(set(scores) == set(LABELS), f"scores {scores}")
print(f"spaCy {spacy.__version__}: {len(docs)} docs, losses "
      + ", ".join(f"{loss:.2f}" for loss in losses_per_epoch))
