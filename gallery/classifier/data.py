"""Labelled images: the ``labels.csv`` folders (cat-train, cat-eval) and any other
source of (image bytes, label) pairs."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

CAT = "cat"
NOT_CAT = "not_cat"


@dataclass(frozen=True)
class Example:
    """One labelled image. ``read`` returns its bytes (a file, a storage, …)."""

    key: str
    is_cat: bool
    kind: str
    read: Callable[[], bytes]


@dataclass(frozen=True)
class DataSource:
    """A named set of examples, as recorded in a model card."""

    name: str
    location: str
    examples: tuple[Example, ...]

    def counts(self) -> dict[str, int]:
        cats = sum(example.is_cat for example in self.examples)
        return {
            "images": len(self.examples),
            CAT: cats,
            NOT_CAT: len(self.examples) - cats,
        }

    def digest(self) -> str:
        """sha256 over the sorted ``key,label,sha256(bytes)`` lines: which files with
        which labels, and their exact contents."""
        lines = sorted(
            f"{example.key},{CAT if example.is_cat else NOT_CAT},"
            f"{hashlib.sha256(example.read()).hexdigest()}"
            for example in self.examples
        )
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _parse_label(value: str, where: str) -> bool:
    value = value.strip()
    if value not in (CAT, NOT_CAT):
        raise ValueError(f"{where}: label must be {CAT} or {NOT_CAT}, got {value!r}")
    return value == CAT


def read_labels_csv(labels: Path, images: Path) -> tuple[Example, ...]:
    """Examples from a CSV with columns ``file,label[,kind,…]``; files in ``images``."""
    with labels.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    if rows and not {"file", "label"} <= set(rows[0]):
        raise ValueError(f"{labels}: needs the columns file and label")
    examples = []
    for number, row in enumerate(rows, start=2):
        path = images / row["file"]
        is_cat = _parse_label(row["label"], f"{labels}:{number}")
        examples.append(
            Example(
                key=row["file"],
                is_cat=is_cat,
                kind=(row.get("kind") or "").strip() or (CAT if is_cat else "other"),
                read=path.read_bytes,
            )
        )
    return tuple(examples)


def read_folder(folder: Path) -> DataSource:
    """A folder in the cat-train format: ``labels.csv`` and ``images/``."""
    labels = folder / "labels.csv"
    if not labels.is_file():
        raise FileNotFoundError(
            f"{labels} is missing (expected labels.csv and images/)"
        )
    return DataSource(
        name=folder.resolve().name,
        location=str(folder),
        examples=read_labels_csv(labels, folder / "images"),
    )


def all_examples(sources: Sequence[DataSource]) -> list[Example]:
    return [example for source in sources for example in source.examples]
