"""Shared by the interop checks: the expected counts and the documented split function."""

import json
import sys
from pathlib import Path

LABELS = ["diplomatic", "sanctions", "military"]


def load_expected(work: Path) -> dict:
    return json.loads((work / "expected.json").read_text())


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def fmix64(h: int) -> int:
    mask = 0xFFFFFFFFFFFFFFFF
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & mask
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & mask
    return h ^ (h >> 33)


def split_of(article_id: str, seed: int, percents: tuple) -> str:
    """The split of an article, exactly as `stance export --split` documents it."""
    bucket = (fmix64(fnv1a64(seed.to_bytes(8, "little") + article_id.encode("utf-8"))) * 100) >> 64
    train, dev, _ = percents
    return "train" if bucket < train else "dev" if bucket < train + dev else "test"
