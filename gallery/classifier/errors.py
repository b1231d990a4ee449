"""What can go wrong, as exceptions that say which file or image is to blame."""

from __future__ import annotations

from pathlib import Path


class ClassifierError(Exception):
    """Base class of the classifier's own errors."""


class ModelFileError(ClassifierError):
    """A model file (or the base weights) is missing, unreadable or not the one
    expected. The message names the file; nothing should be labelled with it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class UnreadableImageError(ClassifierError):
    """The image could not be decoded (corrupt, truncated, not an image)."""
