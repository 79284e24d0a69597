#!/usr/bin/env python3
"""Rebuilds corpus.jsonl from the Lee news corpus bundled in the gensim 4.4.0 wheel.

Usage: build_corpus.py GENSIM_WHEEL > corpus.jsonl
(`pip download --no-deps gensim==4.4.0` fetches the wheel.)
"""
import hashlib
import json
import sys
import zipfile

# The wheel's two files; their digests pin the exact text the labels refer to.
BACKGROUND = "gensim/test/test_data/lee_background.cor"
TEST = "gensim/test/test_data/lee.cor"
SHA256 = {
    BACKGROUND: "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb",
    TEST: "a878f9a58f6743c32985c56c2f2f75988386216b38a4023a01fd3bcf7884d93e",
}

# 1-based line numbers of the articles kept: international politics, conflict,
# diplomacy and sanctions, and Australian news of the war on terrorism (detainees,
# asylum seekers, defence spending), chosen by reading each article's opening.
# Near-duplicate articles (108 repeats 99, 120 repeats 116) are kept once.
PICK_BACKGROUND = [
    2, 6, 13, 14, 15, 27, 30, 35, 36, 45, 50, 51, 52, 58, 59, 61, 66, 70, 75, 76, 81,
    82, 86, 94, 95, 98, 99, 111, 115, 116, 117, 123, 128, 134, 135, 142, 143, 144, 146,
    148, 149, 154, 155, 160, 161, 167, 168, 174, 177, 178, 181, 184, 185, 187, 193, 198,
    201, 202, 209, 210, 211, 215, 217, 218, 221, 224, 226, 227, 228, 234, 235, 236, 240,
    243, 244, 250, 251, 260, 262, 268, 269, 270, 277, 278, 285, 293,
]
PICK_TEST = [3, 4, 5, 7, 8, 10, 11, 12, 16, 21, 24, 27, 29, 36, 42, 44, 48]


def lines(wheel, name, encoding):
    raw = wheel.read(name)
    digest = hashlib.sha256(raw).hexdigest()
    want = SHA256.get(name)
    if want is not None and digest != want:
        sys.exit(f"build_corpus.py: {name}: sha256 {digest}, expected {want}")
    return raw.decode(encoding).split("\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        background = lines(wheel, BACKGROUND, "utf-8")
        # lee.cor is Latin-1 (a pound sign is byte 0xA3), not UTF-8.
        test = lines(wheel, TEST, "latin-1")
    out = []
    for prefix, docs, picks in (("lee-bg", background, PICK_BACKGROUND), ("lee", test, PICK_TEST)):
        for n in picks:
            text = docs[n - 1].strip()
            title = text.split(". ")[0]
            if len(title) > 100:
                title = title[:100].rsplit(" ", 1)[0] + " ..."
            out.append({"id": f"{prefix}-{n:03d}", "title": title, "text": text})
    for rec in out:
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
