"""Usernames and display names that cannot pass for someone else's.

Usernames are normalised with NFKC (fullwidth "ａｄｍｉｎ" becomes "admin") and must
then be plain ASCII letters, digits and . _ -, so no other script can imitate a
Latin name. Within ASCII, a skeleton folds the look-alikes ("0" and "o", "1", "l"
and "I", "rn" and "m") so "adrnin" or "Admin_" is refused while "admin" exists.
Display names may use any script but lose bidirectional and other invisible
control characters, which can make a name read backwards.
"""

import re
import unicodedata

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LOOKALIKE_CHARS = str.maketrans(
    {"0": "o", "1": "l", "i": "l", "!": "l", "|": "l", "5": "s", "$": "s", "2": "z"}
)
_SEPARATORS = re.compile(r"[._-]+")
# Bidirectional controls (LRE..RLO, LRI..PDI, LRM, RLM, ALM) and other invisible
# format characters; the zero-width joiner stays (it builds emoji sequences).
_INVISIBLE = re.compile(
    "[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip()


def username_problem(username: str) -> str | None:
    """Why a (normalised) username is not allowed, or None."""
    if not USERNAME_PATTERN.match(username):
        return (
            "Use only English letters, digits and . _ - in your username "
            "(your display name can be written any way you like)."
        )
    return None


def username_skeleton(username: str) -> str:
    """What a username looks like, with look-alike letters and separators folded."""
    text = normalise_username(username).casefold()
    text = _SEPARATORS.sub("", text)
    for pair, replacement in _LOOKALIKE_PAIRS:
        text = text.replace(pair, replacement)
    return text.translate(_LOOKALIKE_CHARS)


def clean_display_name(name: str) -> str:
    """NFC, no invisible format characters, control characters as spaces,
    single spaces."""
    name = unicodedata.normalize("NFC", name)
    name = _INVISIBLE.sub("", name)
    name = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in name)
    return " ".join(name.split())
