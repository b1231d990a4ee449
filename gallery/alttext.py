"""Alt-text suggestions from the classifier's likeliest ImageNet classes.

Plain string work on what labelling stored (GalleryImage.cat_top_classes, a list
of [class name, probability]); the member always sees and can edit the result.
"""

from __future__ import annotations

# Below this, the top class is too unsure to put words in the member's mouth.
MIN_PROBABILITY = 0.15


def readable_class(name: str) -> str:
    """ "tabby, tabby cat" -> "tabby cat"; "Siamese cat, Siamese" -> "Siamese cat";
    "cab, hack, taxi, taxicab" -> "cab"."""
    synonyms = [part.strip() for part in name.split(",") if part.strip()]
    if not synonyms:
        return ""
    first = synonyms[0]
    longer = [s for s in synonyms[1:] if s.lower().startswith(first.lower() + " ")]
    return longer[0] if longer else first


def with_article(noun: str) -> str:
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return f"{article} {noun}"


def suggest_alt_text(top_classes, is_cat: bool | None = None) -> str:
    """ "Photo of a tabby cat", or "" when the classifier was not sure enough."""
    try:
        name, probability = top_classes[0]
        probability = float(probability)
    except (IndexError, TypeError, ValueError):
        return "Photo of a cat" if is_cat else ""
    noun = readable_class(str(name))
    if not noun or probability < MIN_PROBABILITY:
        return "Photo of a cat" if is_cat else ""
    if is_cat and "cat" not in noun.lower():
        return (
            f"Photo of a cat ({noun}?)"
            if probability < 0.5
            else f"Photo of a cat, {noun}"
        )
    return f"Photo of {with_article(noun)}"
