"""Checks stance's agreement figures against the reference Python implementations.

usage:
  check_agree.py write DIR          writes the input files (seeded random label sets with
                                    missing decisions, and published examples) into DIR
  check_agree.py check DIR FIGURES  compares FIGURES (the JSON lines that
                                    `cargo run --example agree -- DIR/*.json` printed) with
                                    scikit-learn, statsmodels, krippendorff, irrCAC and NLTK
  check_agree.py write-stores DIR   writes, per random case, a corpus and a label store
                                    (DIR/CASE/corpus.jsonl, labels.jsonl) whose journal also
                                    holds superseded, cleared, orphaned and adjudicated events
  check_agree.py check-stores DIR   compares each DIR/CASE/agree.json (what `stance agree
                                    --json` printed for it) with the references

Every figure must equal the reference within 1e-9, and be null exactly where the reference
is undefined (nan, an error, or NLTK's single-value convention). Exits 1 on any mismatch.
"""

import json
import math
import random
import sys
import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
from irrCAC.datasets import raw_4raters
from irrCAC.raw import CAC
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
from statsmodels.stats.tests.test_inter_rater import diagnoses, table1

TOLERANCE = 1e-9
NAN = None

# ---- inputs -------------------------------------------------------------------------------


def random_sets(seed, annotators, labels, units, missing, prevalence, errors, apart=()):
    """Label sets from a hidden truth per unit, each annotator flipping each label with their
    own error rate and skipping a unit with probability `missing`. Annotators named in
    `apart` never annotate the same unit. Units with fewer than two decisions are kept in the
    file: stance must leave them out."""
    rng = random.Random(seed)
    rows = []
    for _ in range(units):
        truth = {label for label in labels if rng.random() < prevalence.get(label, 0.3)}
        row = []
        for name in annotators:
            if rng.random() < missing:
                row.append(None)
                continue
            chosen = set()
            for label in labels:
                if prevalence.get(label, 0.3) in (0.0, 1.0):
                    present = label in truth
                else:
                    present = (label in truth) != (rng.random() < errors[name])
                if present:
                    chosen.add(label)
            row.append(sorted(chosen, key=labels.index))
        if apart:
            present = [i for i, name in enumerate(annotators) if name in apart and row[i] is not None]
            for i in present[1:] if rng.random() < 0.5 else present[:-1]:
                row[i] = None
        rows.append(row)
    return {"annotators": annotators, "labels": labels, "units": rows}


def nominal(raters_by_unit, categories):
    """A nominal table from rows of category indices (None: not rated)."""
    return {
        "raters": len(raters_by_unit[0]),
        "categories": categories,
        "units": [list(row) for row in raters_by_unit],
    }


def as_sets(table):
    """The same ratings as label sets of one label each: alpha with MASI must then equal the
    nominal alpha (distinct singletons are at distance 1)."""
    names = [f"c{k}" for k in range(table["categories"])]
    return {
        "annotators": [f"r{i}" for i in range(table["raters"])],
        "labels": names,
        "units": [[None if c is None else [names[c]] for c in row] for row in table["units"]],
    }


def from_matrix(matrix, domain):
    """Raters × units with nan (the krippendorff package's layout) to units × raters."""
    index = {value: k for k, value in enumerate(domain)}
    return [
        [None if (isinstance(v, float) and math.isnan(v)) else index[v] for v in unit]
        for unit in zip(*matrix)
    ]


def from_counts(counts):
    """A subjects × categories count table (Fleiss 1971, Wikipedia) to units × raters."""
    return [[k for k, n in enumerate(row) for _ in range(int(n))] for row in counts]


n = float("nan")
KRIPPENDORFF_NOMINAL = [  # the krippendorff package's tests and docs: alpha 0.691358
    [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
    [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
    [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
]
KRIPPENDORFF_4X12 = [  # its ordinal/ratio example; nominal alpha 0.743 in its docs
    [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
    [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
]
KRIPPENDORFF_STRINGS = [  # its string-label test: alpha 0.722222
    ["pos", "neg", "neu", n],
    ["pos", "neg", "neu", "pos"],
    ["pos", "neg", "pos", "pos"],
]
KRIPPENDORFF_PERFECT = [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]  # alpha 1.0
KRIPPENDORFF_ONE_VALUE = [[1, 1], [1, 1]]  # the package refuses: one value in the domain
KRIPPENDORFF_UNPAIRABLE = [[1, n], [n, 2]]  # the package refuses: no unit with two coders

# Published values, compared with stance's figure at the precision they were published with.
PUBLISHED = {
    "krippendorff_nominal": {"alpha": (0.691358, 5e-7)},
    "krippendorff_nominal_sets": {"set.alpha_masi": (0.691358, 5e-7)},
    "krippendorff_4x12": {"alpha": (0.743, 5e-4)},
    "krippendorff_4x12_sets": {"set.alpha_masi": (0.743, 5e-4)},
    "krippendorff_strings": {"alpha": (0.722222, 5e-7)},
    "krippendorff_perfect": {"alpha": (1.0, 0.0)},
    "fleiss_wikipedia": {"fleiss": (0.2099307, 5e-8)},
    "fleiss_1971_diagnoses": {"fleiss": (0.4302445, 5e-8)},
    "irrcac_raw_4raters": {"ac1": (0.77544, 5e-6), "percent": (0.81818, 5e-6)},
}


def cases():
    default = ["diplomatic", "sanctions", "military"]
    yield "random_three", random_sets(
        1, ["ana", "bob", "cy"], default, 400, 0.2,
        {"diplomatic": 0.4, "sanctions": 0.25, "military": 0.1},
        {"ana": 0.05, "bob": 0.1, "cy": 0.2})
    yield "random_two", random_sets(
        2, ["yu", "al"], default + ["economic"], 150, 0.3,
        {"economic": 0.5}, {"yu": 0.15, "al": 0.3})
    yield "random_five_unused_label", random_sets(
        3, ["zed", "ana", "Bob", "cy", "dee"], default + ["unused", "rare"], 1000, 0.4,
        {"unused": 0.0, "rare": 0.02, "diplomatic": 0.6},
        {"zed": 0.1, "ana": 0.0, "Bob": 0.25, "cy": 0.05, "dee": 0.4})
    yield "random_pair_never_shares", random_sets(
        4, ["dee", "eve", "fay", "gus"], default, 300, 0.1, {},
        {"dee": 0.1, "eve": 0.1, "fay": 0.2, "gus": 0.3}, apart=("dee", "eve"))
    yield "random_constant_labels", random_sets(
        5, ["ana", "bob", "cy"], ["always", "never", "varies"], 120, 0.25,
        {"always": 1.0, "never": 0.0, "varies": 0.5}, {"ana": 0.1, "bob": 0.1, "cy": 0.1})
    yield "random_perfect", random_sets(
        6, ["ana", "bob", "cy", "dan"], default, 200, 0.3, {},
        {"ana": 0.0, "bob": 0.0, "cy": 0.0, "dan": 0.0})
    yield "random_large", random_sets(
        7, ["a1", "a2", "a3"], default + ["economic", "legal", "other"], 5000, 0.15,
        {"legal": 0.05, "other": 0.7}, {"a1": 0.08, "a2": 0.12, "a3": 0.3})
    for seed in range(8, 14):
        yield f"random_tiny_{seed}", random_sets(
            seed, ["ana", "bob", "cy"], ["x", "y"], seed - 6, 0.3, {"x": 0.5, "y": 0.5},
            {"ana": 0.3, "bob": 0.3, "cy": 0.3})
    yield "one_unit", {"annotators": ["ana", "bob"], "labels": ["x", "y"],
                       "units": [[["x"], ["x", "y"]]]}
    yield "no_comparable_unit", {"annotators": ["ana", "bob"], "labels": ["x"],
                                 "units": [[["x"], None], [None, []], [None, None]]}
    yield "no_stance_only", {"annotators": ["ana", "bob", "cy"], "labels": ["x"],
                             "units": [[[], [], None], [[], [], []]]}
    yield "empty_and_full_sets", {"annotators": ["ana", "bob", "cy"], "labels": ["x", "y", "z"],
                                  "units": [[[], ["x", "y", "z"], []], [["x"], ["x", "y"], ["y", "z"]],
                                            [[], [], ["z"]], [["x", "z"], ["z", "x"], None]]}

    published = {
        "krippendorff_nominal": nominal(from_matrix(KRIPPENDORFF_NOMINAL, [1, 2, 3, 4]), 4),
        "krippendorff_4x12": nominal(from_matrix(KRIPPENDORFF_4X12, [1, 2, 3, 4, 5]), 5),
        "krippendorff_strings": nominal(from_matrix(KRIPPENDORFF_STRINGS, ["pos", "neg", "neu"]), 3),
        "krippendorff_perfect": nominal(from_matrix(KRIPPENDORFF_PERFECT, [1, 2, 3, 4]), 4),
        "krippendorff_one_value": nominal(from_matrix(KRIPPENDORFF_ONE_VALUE, [1]), 1),
        "krippendorff_unpairable": nominal(from_matrix(KRIPPENDORFF_UNPAIRABLE, [1, 2]), 2),
        "fleiss_wikipedia": nominal(from_counts(table1), 5),
        "fleiss_1971_diagnoses": nominal([[int(v) - 1 for v in row] for row in diagnoses], 5),
        "irrcac_raw_4raters": nominal(
            [[None if pd.isna(v) else int(v) - 1 for v in row] for row in raw_4raters().to_numpy()], 5),
    }
    for name, table in published.items():
        yield name, table
        if name in ("krippendorff_nominal", "krippendorff_4x12", "fleiss_wikipedia"):
            yield name + "_sets", as_sets(table)


# ---- references ---------------------------------------------------------------------------


def quiet(compute):
    """The reference's value, or None where it raises or gives nan (its 'undefined')."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            value = float(compute())
        except (ValueError, ZeroDivisionError):
            return None
    return None if math.isnan(value) else value


def nominal_references(rows, categories):
    """Every coefficient of a units × raters table of category indices (None: missing)."""
    raters = len(rows[0])
    pairable = [row for row in rows if sum(v is not None for v in row) >= 2]
    frame = pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in rows])
    reference = {}

    def gwet():
        return CAC(frame, categories=list(range(categories)), digits=15).gwet()["est"]

    # No library names this one: pairs counted here, and irrCAC's `pa` where irrCAC runs.
    reference["percent"] = (
        sum(agreeing_pairs(row) for row in pairable) / len(pairable) if pairable else None)
    if pairable and len([row for row in rows if any(v is not None for v in row)]) >= 2:
        reference["percent (irrCAC pa)"] = quiet(lambda: gwet()["pa"])
    reference["ac1"] = quiet(lambda: gwet()["coefficient_value"]) if pairable and categories >= 2 else None
    reference["alpha"] = quiet(lambda: krippendorff.alpha(
        reliability_data=frame.to_numpy().T, level_of_measurement="nominal"))
    complete = [row for row in rows if all(v is not None for v in row)]
    reference["fleiss"] = quiet(lambda: fleiss_kappa(aggregate_raters(np.array(complete))[0],
                                                      method="fleiss")) if complete and raters >= 2 else None
    for a in range(raters):
        for b in range(a + 1, raters):
            shared = [(row[a], row[b]) for row in rows if row[a] is not None and row[b] is not None]
            reference[f"cohen.{a}|{b}"] = quiet(
                lambda: cohen_kappa_score([x for x, _ in shared], [y for _, y in shared])) if shared else None
    reference["percent_exact"] = (
        sum(len({v for v in row if v is not None}) == 1 for row in pairable) / len(pairable)
        if pairable else None)
    return reference


def agreeing_pairs(row):
    """The share of a unit's pairs of ratings that agree."""
    values = [v for v in row if v is not None]
    pairs = [(x, y) for i, x in enumerate(values) for y in values[i + 1:]]
    return sum(x == y for x, y in pairs) / len(pairs)


def masi_exact(a, b):
    """MASI with the exact weights: 1 equal, 2/3 subset, 1/3 overlap, 0 disjoint."""
    if not a and not b:
        return 0.0
    common, union = len(a & b), len(a | b)
    if a == b:
        weight = 1.0
    elif common == min(len(a), len(b)):
        weight = 2.0 / 3.0
    elif common > 0:
        weight = 1.0 / 3.0
    else:
        weight = 0.0
    return 1.0 - common / union * weight


def set_references(data):
    """Every figure of the `stance agree --json` object for label-set data."""
    annotators, labels = data["annotators"], data["labels"]
    kept = [row for row in data["units"] if sum(v is not None for v in row) >= 2]
    reference = {"units": len(kept)}
    for label in labels:
        rows = [[None if v is None else int(label in v) for v in row] for row in kept]
        figures = nominal_references(rows, 2) if kept else {}
        if len(kept) >= 2:
            # The plain call `CAC(df).gwet()` takes its categories from the data: a label nobody
            # (or everybody) chose is then a one-category scale, where irrCAC's chance
            # agreement of 1 - 1e-15 still gives AC1 = 1, as the two-category scale does.
            frame = pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in rows])
            figures["ac1 (irrCAC, categories from the data)"] = quiet(
                lambda: CAC(frame, digits=15).gwet()["est"]["coefficient_value"])
        for key in ("percent", "percent (irrCAC pa)", "fleiss", "alpha", "ac1",
                    "ac1 (irrCAC, categories from the data)"):
            if key in figures or not key.endswith(")"):
                reference[f"labels.{label}.{key}"] = figures.get(key)
        for a in range(len(annotators)):
            for b in range(a + 1, len(annotators)):
                pair = "|".join(sorted([annotators[a], annotators[b]]))
                reference[f"labels.{label}.cohen.{pair}"] = figures.get(f"cohen.{a}|{b}")
    triples = [(annotators[i], u, frozenset(v)) for u, row in enumerate(kept)
               for i, v in enumerate(row) if v is not None]
    if len({value for _, _, value in triples}) <= 1:
        reference["set.alpha_masi"] = None  # NLTK returns 1 by convention; there is no variation
    else:
        reference["set.alpha_masi"] = quiet(lambda: AnnotationTask(data=triples, distance=masi_exact).alpha())
    reference["set.percent_exact"] = (
        sum(len({frozenset(v) for v in row if v is not None}) == 1 for row in kept) / len(kept)
        if kept else None)
    return reference


def flatten(agreement):
    """The agreement object as the same dotted keys, checking its shape on the way."""
    flat = {"units": agreement["units"]}
    for label, figures in agreement["labels"].items():
        for key in ("percent", "fleiss", "alpha", "ac1"):
            flat[f"labels.{label}.{key}"] = figures[key]
        for pair, kappa in figures["cohen"].items():
            flat[f"labels.{label}.cohen.{pair}"] = kappa
        assert figures["units"] == agreement["units"], f"{label}: units differ"
        assert list(figures["cohen"]) == sorted(figures["cohen"]), f"{label}: cohen keys not sorted"
        assert set(figures) == {"units", "percent", "cohen", "fleiss", "alpha", "ac1"}, label
    assert agreement["set"]["units"] == agreement["units"], "set: units differ"
    flat["set.percent_exact"] = agreement["set"]["percent_exact"]
    flat["set.alpha_masi"] = agreement["set"]["alpha_masi"]
    return flat


def compare(case, ours, reference, failures):
    """Counts the figures compared; appends a message per mismatch."""
    figure = lambda key: key.split(" (")[0]  # "percent (irrCAC pa)": a second reference
    if set(ours) != {figure(key) for key in reference}:
        failures.append(f"{case}: keys differ: {sorted(set(ours) ^ set(map(figure, reference)))}")
        return 0
    for key, expected in reference.items():
        got = ours[figure(key)]
        if expected is None or got is None:
            ok = expected is None and got is None
        else:
            ok = abs(got - expected) <= TOLERANCE
        if not ok:
            failures.append(f"{case}: {key}: stance {got!r}, reference {expected!r}")
    return len(reference)


def check(folder, figures_path):
    inputs = {path.stem: json.loads(path.read_text()) for path in sorted(Path(folder).glob("*.json"))}
    figures = {}
    for line in Path(figures_path).read_text().splitlines():
        record = json.loads(line)
        figures[Path(record["file"]).stem] = record
    failures, passed, undefined = [], 0, 0
    for case, data in inputs.items():
        if case not in figures:
            failures.append(f"{case}: stance printed nothing")
            continue
        record = figures[case]
        if "annotators" in data:
            agreement = record["agreement"]
            assert agreement["annotators"] == data["annotators"], case
            assert list(agreement["labels"]) == data["labels"], case
            ours, reference = flatten(agreement), set_references(data)
        else:
            got = record["nominal"]
            ours = {key: value for key, value in got.items() if key not in ("cohen", "units")}
            ours.update({f"cohen.{pair}": kappa for pair, kappa in got["cohen"].items()})
            reference = nominal_references(data["units"], data["categories"])
        count = compare(case, ours, reference, failures)
        undefined += sum(value is None for value in reference.values())
        for key, (value, precision) in PUBLISHED.get(case, {}).items():
            got = ours.get(key)
            if got is None or abs(got - value) > precision:
                failures.append(f"{case}: {key}: stance {got!r}, published {value}")
            count += 1
        passed += count
        print(f"  {case}: {count} figures")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"agreement references: {len(inputs)} inputs, {undefined} figures undefined on both sides")
    print(f"agreement: {passed - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


# ---- real stores: the same data as a corpus and a journal, for `stance agree` -------------

DEFAULT_LABELS = ["diplomatic", "sanctions", "military"]
STORE_CASES = ("random_three", "random_two", "random_five_unused_label",
               "random_pair_never_shares", "random_constant_labels", "random_perfect",
               "random_tiny_9", "empty_and_full_sets", "no_stance_only")


def fnv1a(text):
    """The journal's `fp`: 64-bit FNV-1a of the UTF-8 text, 16 lowercase hex digits."""
    h = 0xcbf29ce484222325
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001b3) % 2**64
    return f"{h:016x}"


def write_store(folder, data, seed):
    """One sentence per unit, four per article; the journal gives each decision, and around
    it what must not count: a superseded earlier decision, a decision later cleared where the
    unit has none, an orphan (the text changed), a lead's adjudication."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    articles, events, ts = [], [], 0

    def event(article, span, text, labels, annotator, op="set", origin="typed", fp=None):
        nonlocal ts
        ts += 1
        line = {"v": 2 if origin == "adjudicated" else 1, "op": op, "article": article,
                "start": span[0], "end": span[1], "fp": fp or fnv1a(text), "labels": labels,
                "annotator": annotator, "ts": ts, "origin": origin, "text": text}
        events.append(json.dumps(line))

    units = data["units"]
    for first in range(0, len(units), 4):
        article = f"art{first // 4}"
        sentences = [f"Unit {u} was read by the team." for u in range(first, min(first + 4, len(units)))]
        text = " ".join(sentences)
        articles.append(json.dumps({"id": article, "text": text}))
        start = 0
        for u, sentence in zip(range(first, first + 4), sentences):
            span = (start, start + len(sentence.encode()))
            start = span[1] + 1
            for name, decision in zip(data["annotators"], units[u]):
                if decision is None:
                    roll = rng.random()
                    if roll < 0.1:
                        event(article, span, sentence, ["diplomatic"], name)
                        event(article, span, sentence, [], name, op="clear")
                    elif roll < 0.2:
                        event(article, span, sentence, ["sanctions"], name, fp=fnv1a("changed"))
                    continue
                if rng.random() < 0.15:
                    event(article, span, sentence, list(reversed(decision)) + ["military"], name)
                event(article, span, sentence, decision, name)
            if rng.random() < 0.2:
                event(article, span, sentence, ["military"], "lead", origin="adjudicated")
    (folder / "corpus.jsonl").write_text("\n".join(articles) + "\n")
    (folder / "labels.jsonl").write_text("\n".join(events) + "\n")
    (folder / "data.json").write_text(json.dumps(data))


def as_stance_reads_it(data):
    """The data in the order `stance agree` reports it: annotators sorted (those with a
    decision), the default labels, then any other label used, sorted."""
    used = {label for row in data["units"] for v in row if v is not None for label in v}
    decided = [i for i, name in enumerate(data["annotators"])
               if any(row[i] is not None for row in data["units"])]
    order = sorted(decided, key=lambda i: data["annotators"][i])
    return {
        "annotators": [data["annotators"][i] for i in order],
        "labels": DEFAULT_LABELS + sorted(used - set(DEFAULT_LABELS)),
        "units": [[row[i] for i in order] for row in data["units"]],
    }


def check_stores(folder):
    failures, passed = [], 0
    cases = sorted(path for path in Path(folder).iterdir() if path.is_dir())
    for case in cases:
        data = as_stance_reads_it(json.loads((case / "data.json").read_text()))
        agreement = json.loads((case / "agree.json").read_text())
        if agreement["annotators"] != data["annotators"] or list(agreement["labels"]) != data["labels"]:
            failures.append(f"{case.name}: annotators or labels differ: {agreement['annotators']} "
                            f"{list(agreement['labels'])}")
            continue
        count = compare(case.name, flatten(agreement), set_references(data), failures)
        passed += count
        print(f"  store {case.name}: {count} figures")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"agreement of stores: {len(cases)} stores, {passed - len(failures)} passed, "
          f"{len(failures)} failed")
    return 1 if failures or not cases else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        folder = Path(sys.argv[2])
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in cases():
            (folder / f"{name}.json").write_text(json.dumps(data))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        return check(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 3 and sys.argv[1] == "write-stores":
        for seed, (name, data) in enumerate(cases()):
            if name in STORE_CASES:
                write_store(Path(sys.argv[2]) / name, data, seed)
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "check-stores":
        return check_stores(sys.argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
