"""Where models live and which one is active.

A model version is a folder ``<version>/`` holding ``card.json`` (what it is, how it
was trained, its threshold), ``model.tflite`` (the LiteRT model) and ``head.npz`` (the
cat head's weights, which with the MobileNetV2 base weights rebuild the Keras model).
Shipped versions sit in this package's ``models/`` folder; newly trained ones in a
writable folder (CAT_MODEL_DIR). The active version is named in a file ``ACTIVE`` in
the writable folder, else in the shipped one; an explicit version overrides both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gallery.classifier.errors import ModelFileError

SHIPPED_DIR = Path(__file__).resolve().parent / "models"
LABELS_FILE = SHIPPED_DIR / "imagenet_labels_1001.txt"
ACTIVE_FILE = "ACTIVE"
CARD_FILE = "card.json"
TFLITE_FILE = "model.tflite"
HEAD_FILE = "head.npz"


@dataclass(frozen=True)
class ModelInfo:
    """One model version on disk."""

    version: str
    path: Path
    card: dict[str, Any] = field(repr=False)
    shipped: bool

    @property
    def tflite_path(self) -> Path:
        return self.path / TFLITE_FILE

    @property
    def head_path(self) -> Path:
        return self.path / HEAD_FILE

    @property
    def threshold(self) -> float:
        return float(self.card["threshold"])


def read_card(folder: Path) -> dict[str, Any]:
    path = folder / CARD_FILE
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(path, "is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(path, f"is not a readable model card ({error})") from None
    if not isinstance(card, dict) or "threshold" not in card:
        raise ModelFileError(path, "is not a model card (no threshold)")
    return card


def read_labels(path: Path = LABELS_FILE) -> list[str]:
    """ImageNet class names in Keras order (the file's line 0, "background", dropped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ModelFileError(path, f"cannot be read ({error})") from None
    if len(lines) != 1001:
        raise ModelFileError(path, f"has {len(lines)} lines, expected 1001")
    return lines[1:]


class ModelStore:
    """The model versions in a writable folder and in the shipped folder."""

    def __init__(
        self, writable_dir: Path | None = None, shipped_dir: Path = SHIPPED_DIR
    ) -> None:
        self.writable_dir = Path(writable_dir) if writable_dir else None
        self.shipped_dir = shipped_dir

    @property
    def dirs(self) -> list[Path]:
        """Where versions are looked for, first match wins."""
        return [d for d in (self.writable_dir, self.shipped_dir) if d is not None]

    def _candidates(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):  # the writable folder wins
            if not folder.is_dir():
                continue
            for child in folder.iterdir():
                # (".cat-…" folders are unfinished training runs)
                if not child.name.startswith(".") and (child / CARD_FILE).is_file():
                    found[child.name] = child
        return found

    def versions(self) -> list[ModelInfo]:
        """Every version found, oldest first (version names start with a date)."""
        return [
            self._info(name, path) for name, path in sorted(self._candidates().items())
        ]

    def _info(self, version: str, path: Path) -> ModelInfo:
        shipped = path.parent.resolve() == self.shipped_dir.resolve()
        return ModelInfo(version, path, read_card(path), shipped)

    def get(self, version: str) -> ModelInfo:
        path = self._candidates().get(version)
        if path is None:
            searched = ", ".join(str(d) for d in self.dirs)
            raise ModelFileError(
                Path(version), f"no such cat model version (looked in {searched})"
            )
        return self._info(version, path)

    def active_version(self, override: str = "") -> str:
        """The version to use: ``override``, else the ACTIVE file (writable folder
        first), else the newest version."""
        if override:
            return override
        for folder in self.dirs:
            marker = folder / ACTIVE_FILE
            if marker.is_file():
                name = marker.read_text(encoding="utf-8").strip()
                if name:
                    return name
        versions = sorted(self._candidates())
        if not versions:
            searched = ", ".join(str(d) for d in self.dirs)
            raise ModelFileError(Path(searched), "holds no cat model")
        return versions[-1]

    def active(self, override: str = "") -> ModelInfo:
        return self.get(self.active_version(override))

    def activate(self, version: str) -> Path:
        """Make ``version`` the active one; returns the ACTIVE file written."""
        self.get(version)  # must exist
        folder = self.writable_dir or self.shipped_dir
        folder.mkdir(parents=True, exist_ok=True)
        marker = folder / ACTIVE_FILE
        marker.write_text(version + "\n", encoding="utf-8")
        return marker
