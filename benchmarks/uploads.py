"""How big uploads are bounded: memory of image decoding, and refusing big bodies.

    python benchmarks/uploads.py

1. Peak memory (ru_maxrss) of one process decoding four 6300x6300 PNGs at once
   (38 KB files, 39.7 megapixels each, just under the limit), in threads as four
   requests would: "before" is the pipeline avatars used until the hardening
   issue (open, load, turn upright, convert, crop, no limit on concurrent
   decodes); "after" is core.images.clean_image with IMAGE_DECODE_CONCURRENCY
   slots. Each runs in a fresh interpreter.
2. Time to refuse a 100 MB POST to /accounts/profile/ from a live Daphne on
   loopback: "before" lets the body through to Django (an avatar limit above
   100 MB, as when nothing capped the body), "after" is the request body limit
   (config/limits.py) answering from the Content-Length.
"""

import argparse
import io
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDE = 6300
UPLOADS = 4
BODY_MB = 100


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def before(data: bytes) -> None:
    """The avatar pipeline before the hardening issue."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image = ImageOps.exif_transpose(image)
        image = ImageOps.fit(image.convert("RGB"), (400, 400), Image.Resampling.LANCZOS)
        image.save(io.BytesIO(), format="JPEG", quality=88)


def after(data: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.images import ImageLimits, clean_image

    clean_image(
        SimpleUploadedFile("big.png", data),
        limits=ImageLimits(max_bytes=15 * 1024 * 1024, max_pixels=50_000_000),
        square=400,
    )


def child(mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    data = png_bytes()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    work = before if mode == "before" else after
    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(data,)) for _ in range(UPLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "file_kb": len(data) / 1024,
                "baseline_mb": baseline / 1024,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "seconds": time.perf_counter() - start,
            }
        )
    )


def measure_memory(mode: str) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_big_post(env_extra: dict) -> tuple[int, float]:
    """Status and seconds of a 100 MB avatar upload, from its first byte sent."""
    sys.path.insert(0, str(ROOT))
    from tests.processes import live_daphne

    with (
        tempfile.TemporaryDirectory(prefix="whiskers-bench-") as folder,
        live_daphne(Path(folder), **env_extra) as port,
    ):
        boundary = "whiskersbench"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; '
            'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        chunk = b"\xff" * (1024 * 1024)
        length = len(head) + BODY_MB * len(chunk) + len(tail)
        start = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(
                (
                    "POST /accounts/profile/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                    f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
                ).encode()
                + head
            )
            sock.settimeout(60)
            try:
                for _ in range(BODY_MB):
                    sock.sendall(chunk)
                sock.sendall(tail)
            except (BrokenPipeError, ConnectionResetError):
                pass  # refused before we finished sending
            status_line = sock.makefile("rb").readline().decode()
        elapsed = time.perf_counter() - start
    return int(status_line.split()[1]), elapsed


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Takes no options; prints both measurements.",
    ).parse_args()
    print(f"1. {UPLOADS} PNGs of {SIDE}x{SIDE} decoded at once in one process")
    print(
        f"{'pipeline':<8} {'file KB':>8} {'start MB':>9} {'peak MB':>8} {'seconds':>8}"
    )
    for mode in ("before", "after"):
        figures = measure_memory(mode)
        print(
            f"{mode:<8} {figures['file_kb']:>8.0f} {figures['baseline_mb']:>9.0f} "
            f"{figures['peak_mb']:>8.0f} {figures['seconds']:>8.2f}"
        )
    print(f"\n2. A {BODY_MB} MB POST to /accounts/profile/ on a live Daphne (loopback)")
    print(f"{'limit':<8} {'status':>6} {'seconds':>8}")
    for label, env in (
        ("before", {"AVATAR_MAX_UPLOAD_BYTES": str(300 * 1024 * 1024)}),
        ("after", {}),
    ):
        status, seconds = time_big_post(env)
        print(f"{label:<8} {status:>6} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
