#!/usr/bin/env python3
"""The sentence encoder against an independent Python reference (encoder_ref.py), and the
model with the encoder beside scikit-learn's logistic regression over the reference's
embeddings, on the same folds of the hand-labeled news (tests/data/model-eval).

usage: encoder_eval.py --encoder DIR [--stance BINARY] [--ngram-report PATH] [--both]

Fails when an embedding stance cached differs from the reference's (cosine below 0.9999),
when a sentence stance learned from has no embedding in the cache, or when a second run of
`stance suggest --eval --json --encoder DIR` (over the cache the first filled) differs from
the first's cross-validation. It prints, and never fails on, the micro-F1 and macro-F1 at 100,
200, 400 and 800 training annotations and with all of them, of scikit-learn's
LogisticRegression over the reference embeddings, stance without the encoder, and stance with
the encoder reading the embedding alone (`--encoder-features embedding`, the default) and,
with `--both`, beside the n-grams (`--encoder-features both`).

Each sentence is embedded once by each side: stance fills its cache in the first run and
every fold and size reads it; the reference embeds every sentence once, in batches. With
`--ngram-report`, the n-gram column is read from the report model_eval.py --report-out wrote
(the same command on the same files, checked reproducible there) instead of run again.
"""

import argparse
import json
import resource
import struct
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

import model_eval as me
from encoder_ref import Reference

MAGIC = b"STEMB\x001\n"
# The training sizes printed, and the features stance reads by default with an encoder
# (README, "The sentence encoder", says how they were chosen).
CURVE = [100, 200, 400, 800]
CHOSEN = "embedding"


def fail(message):
    print(f"encoder_eval: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def read_cache(folder):
    """Fingerprint -> embedding from stance's cache files (README, "The sentence encoder")."""
    files = sorted(Path(folder).glob("*.emb"))
    if len(files) != 1:
        fail(f"{folder}: expected one cache file, found {[f.name for f in files]}")
    data = files[0].read_bytes()
    if data[:8] != MAGIC:
        fail(f"{files[0]}: not a stance embedding cache")
    (dim,) = struct.unpack_from("<Q", data, 16)
    record = 8 + 4 * dim + 8
    out = {}
    for at in range(24, len(data) - record + 1, record):
        (fp,) = struct.unpack_from("<Q", data, at)
        out[fp] = np.frombuffer(data, dtype="<f4", count=dim, offset=at + 8).astype(np.float64)
    return out


def sentence_texts(corpus_path, annotations):
    """The sentences as stance reads them: the article text between the byte offsets."""
    texts = {}
    for article in me.read_jsonl(corpus_path):
        texts[str(article["id"])] = article["text"].encode("utf-8")
    return [texts[a["article_id"]][a["start"] : a["end"]].decode("utf-8") for a in annotations]


def sklearn_on_embeddings(annotations, folds, embeddings, limit=None):
    """Pooled micro/macro F1 of one-vs-rest logistic regression over `embeddings`, each fold
    training on its first `limit` training annotations (all of them without a limit)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    truth, predicted = [], []
    x = np.array(embeddings)
    for k in range(me.FOLDS):
        train = [i for i, a in enumerate(annotations) if folds[a["article_id"]] != k]
        test = [i for i, a in enumerate(annotations) if folds[a["article_id"]] == k]
        if not test:
            continue
        if limit is not None:
            train = train[:limit]
        y = me.indicator([annotations[i] for i in train])
        model = OneVsRestClassifier(LogisticRegression(max_iter=1000))
        with warnings.catch_warnings():
            # A label without a positive among the first annotations is predicted constant.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x[train], y)
        truth.append(me.indicator([annotations[i] for i in test]))
        predicted.append(np.asarray(model.predict(x[test])))
    _, micro, macro = me.scores(np.vstack(truth), np.vstack(predicted))
    return micro, macro


def corpus_curve(report):
    """Training size -> (micro, macro) of a `stance suggest --eval --json --curve` report's
    corpus-order points."""
    return {p["annotations"]: (p["micro_f1"], p["macro_f1"]) for p in report["curve"] if p["order"] == "corpus"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(me.DATA / "corpus.jsonl"))
    parser.add_argument("--gold", default=str(me.DATA / "gold.jsonl"))
    parser.add_argument("--stance", default=str(me.HERE.parent.parent / "target" / "debug" / "stance"))
    parser.add_argument("--encoder", required=True)
    parser.add_argument("--both", action="store_true", help="also the curve of --encoder-features both")
    parser.add_argument("--ngram-report", help="stance's n-gram --eval --json --curve report, as "
                        "model_eval.py --report-out wrote it, instead of running it here")
    args = parser.parse_args()
    # One BLAS thread: on a loaded machine the threads of these small products spin waiting for
    # each other, which took ten times the CPU of one thread for the same embeddings.
    threadpool_limits(1)

    annotations, order = me.settled_annotations(args.corpus, args.gold)
    folds = me.fold_of_articles(annotations, order)
    texts = sentence_texts(args.corpus, annotations)
    ref = Reference(args.encoder)
    reference = ref.embed_all(texts)
    reference_cpu = resource.getrusage(resource.RUSAGE_SELF)

    with tempfile.TemporaryDirectory() as work:
        store = Path(work) / "labels.jsonl"
        me.run([args.stance, "import", args.corpus, "--labels", store, "--from", args.gold, "--format", "jsonl"])
        base = [args.stance, "suggest", args.corpus, "--labels", store, "--eval", "--json", "--curve"]
        cmd = base + ["--encoder", args.encoder]
        first = me.run(cmd)
        # The cross-validation again, in a process of its own and from the cache: the curve's
        # models are trained and scored by the same functions.
        second = json.loads(me.run([c for c in cmd if c != "--curve"]))
        cached = read_cache(str(store) + ".embeddings")
        other = "embedding" if CHOSEN == "both" else "both"
        alternative = json.loads(me.run(cmd + ["--encoder-features", other])) if args.both else None
        if args.ngram_report:
            try:
                ngrams = json.loads(Path(args.ngram_report).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as e:
                fail(f"{args.ngram_report}: not a readable report of stance suggest --eval --json --curve: {e}")
            if ngrams.get("annotations") != len(annotations) or "curve" not in ngrams:
                fail(f"{args.ngram_report}: a report of another evaluation (annotations "
                     f"{ngrams.get('annotations')}, {len(annotations)} here) or without a curve")
        else:
            ngrams = json.loads(me.run(base))
    if {k: v for k, v in json.loads(first).items() if k != "curve"} != second:
        fail("stance suggest --eval --encoder is not reproducible: two runs' cross-validations differ")
    worst = 1.0
    for text, expected in zip(texts, reference):
        got = cached.get(fnv1a64(text.encode("utf-8")))
        if got is None:
            fail(f"no cached embedding for {text!r}")
        cos = float(got @ expected / (np.linalg.norm(got) * np.linalg.norm(expected)))
        worst = min(worst, cos)
        if cos < 0.9999:
            fail(f"embedding of {text!r}: cosine {cos:.6f} with the reference, below 0.9999")
    print(f"encoder_eval: {len(texts)} embeddings match the reference, lowest cosine {worst:.7f}")
    report = json.loads(first)
    reports = {CHOSEN: report, other: alternative}
    columns = [
        ("scikit-learn LR, embeddings", None),
        ("stance, n-grams", corpus_curve(ngrams)),
    ] + [(f"stance --encoder, {name}", corpus_curve(reports[name])) for name in ("both", "embedding") if reports[name]]
    sizes = [n for n in CURVE if n < len(annotations)]
    print(f"encoder evaluation: {len(annotations)} annotations, {me.FOLDS} folds by article; "
          f"micro F1 / macro F1 with the first N training annotations of each fold "
          f"(stance's default: --encoder-features {CHOSEN})")
    print(f"{'N':>6}" + "".join(f"   {name:>27}" for name, _ in columns))
    for n in sizes + ["all"]:
        line = f"{n:>6}"
        for name, curve in columns:
            if curve is None:
                micro, macro = sklearn_on_embeddings(annotations, folds, reference, None if n == "all" else n)
            elif n == "all":
                r = ngrams if name == "stance, n-grams" else reports[name.rsplit(" ", 1)[1]]
                micro, macro = r["micro_f1"], r["macro_f1"]
            else:
                micro, macro = curve.get(n, (None, None))
            line += f"   {me.cell(micro) + ' / ' + me.cell(macro):>27}"
        print(line)
    stance_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(f"encoder_eval: CPU time (user+sys): reference {reference_cpu.ru_utime + reference_cpu.ru_stime:.1f} s, "
          f"stance {stance_cpu.ru_utime + stance_cpu.ru_stime:.1f} s, "
          f"scikit-learn and the rest {own_cpu.ru_utime + own_cpu.ru_stime - reference_cpu.ru_utime - reference_cpu.ru_stime:.1f} s")
    print("encoder_eval: 2 passed, 0 failed")


if __name__ == "__main__":
    main()
