"""Turning any PIL image into the model's input: upright, RGB on white, 224 x 224.

Training, evaluation and both runtimes go through `prepare`, so the model always sees
pixels made the same way.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageOps

ResizeMode = Literal["squash", "center_crop"]

WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Preprocessing:
    """How pixels are prepared for a model: recorded in each model's card."""

    size: int = 224
    resize: ResizeMode = "squash"
    crop_fraction: float = 0.875  # only for "center_crop"

    def as_dict(self) -> dict[str, object]:
        return {
            "size": self.size,
            "resize": self.resize,
            "crop_fraction": self.crop_fraction,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Preprocessing:
        resize = str(data.get("resize", "squash"))
        if resize not in ("squash", "center_crop"):
            raise ValueError(f"unknown resize mode {resize!r}")
        return cls(
            size=int(data.get("size", 224)),  # type: ignore[call-overload]
            resize=resize,  # type: ignore[arg-type]
            crop_fraction=float(data.get("crop_fraction", 0.875)),  # type: ignore[arg-type]
        )


def _first_frame(image: Image.Image) -> Image.Image:
    if getattr(image, "is_animated", False):
        image.seek(0)
    return image


def _scale_to_8_bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale ("I;16*", "I", "F") to "L".

    Pillow's own convert("L") clips those at 255; scale them instead: 16-bit
    ("I;16", and "I" holding values above 255) by 1/257, floats in 0..1 by 255.
    """
    values = np.asarray(image)
    if image.mode == "F":
        peak = float(np.nanmax(values)) if values.size else 0.0
        scale = 255.0 if peak <= 1.0 else 1.0
        scaled = np.nan_to_num(values.astype(np.float64) * scale)
    elif image.mode.startswith("I;16") or int(values.max(initial=0)) > 255:
        scaled = values.astype(np.float64) / 257.0
    else:
        scaled = values.astype(np.float64)
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8), "L")


def to_rgb(image: Image.Image) -> Image.Image:
    """The image upright (EXIF orientation), first frame, as RGB; transparency is
    composited on white."""
    image = _first_frame(image)
    # A broken EXIF block: keep the pixels as they are stored.
    with contextlib.suppress(ValueError, TypeError, KeyError, SyntaxError):
        image = ImageOps.exif_transpose(image)
    mode = image.mode
    if mode == "RGB":
        return image
    if mode in ("I", "F") or mode.startswith("I;16"):
        return _scale_to_8_bit(image).convert("RGB")
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode == "P" and "transparency" in image.info
    )
    if mode == "L" and "transparency" in image.info:
        has_alpha = True
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*WHITE, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _crop_box(width: int, height: int, fraction: float) -> tuple[int, int, int, int]:
    side = min(width, height) * fraction
    left = (width - side) / 2
    top = (height - side) / 2
    return (round(left), round(top), round(left + side), round(top + side))


def prepare(image: Image.Image, preprocessing: Preprocessing) -> np.ndarray:
    """The model input for one image: float32 array (size, size, 3) of 0..255 pixels."""
    size = preprocessing.size
    # Big JPEGs decode at a reduced scale (still at least size x size): much faster
    # and lighter than decoding every pixel of a phone photo. A no-op for other
    # formats and for images already loaded.
    image.draft(None, (size, size))
    rgb = to_rgb(image)
    if preprocessing.resize == "center_crop":
        box = _crop_box(*rgb.size, preprocessing.crop_fraction)
        resized = rgb.resize((size, size), Image.Resampling.BILINEAR, box=box)
    else:
        resized = rgb.resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float32)
