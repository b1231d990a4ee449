"""Speed, memory and agreement of the cat classifier's two runtimes.

    python benchmarks/classifier.py [--images ../shared/cat-eval] [--model VERSION]

Runs each runtime (LiteRT, Keras) in its own fresh interpreter on one CPU thread,
classifying every image of the labelled folder one at a time (batch 1). The time per
image covers decoding, resizing and the model, not reading the file; the first five
images warm up first. Prints ms per image (mean, p50, p95), the peak memory of each
process (ru_maxrss), accuracy and F1, and how often the two runtimes agree. "CPU ms"
is the process's CPU time per image: on a busy machine the wall-clock times grow with
the other processes' load, the CPU time much less.
The keras runtime needs TensorFlow (requirements-ml.txt) and the base weights:
CAT_MODEL_WEIGHTS, else ../shared/models/mobilenet_v2_1.0_224_imagenet_from_tflite_ptq.h5.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WEIGHTS = SHARED / "models" / "mobilenet_v2_1.0_224_imagenet_from_tflite_ptq.h5"
sys.path.insert(0, str(ROOT))

WARM_UP = 5


def measure(runtime: str, images: Path, model: str, out: Path) -> None:
    """In the child process: classify every image, write the figures as JSON."""
    from gallery.classifier import load_classifier, open_image
    from gallery.classifier.data import read_labels_csv
    from gallery.classifier.metrics import binary_metrics

    weights = Path(os.environ.get("CAT_MODEL_WEIGHTS") or WEIGHTS)
    start = time.perf_counter()
    classifier = load_classifier(model, runtime=runtime, weights=weights, num_threads=1)
    load_seconds = time.perf_counter() - start
    examples = read_labels_csv(images / "labels.csv", images / "images")
    for example in examples[:WARM_UP]:
        classifier.classify(open_image(example.read()))
    times, scores = [], []
    cpu = 0.0
    for example in examples:
        data = example.read()
        start, cpu_start = time.perf_counter(), time.process_time()
        prediction = classifier.classify(open_image(data))
        times.append((time.perf_counter() - start) * 1000)
        cpu += time.process_time() - cpu_start
        scores.append(prediction.score)
    metrics = binary_metrics([e.is_cat for e in examples], scores, classifier.threshold)
    times.sort()
    out.write_text(
        json.dumps(
            {
                "runtime": runtime,
                "version": classifier.version,
                "load_seconds": load_seconds,
                "mean_ms": statistics.fmean(times),
                "cpu_ms": 1000 * cpu / len(examples),
                "p50_ms": statistics.median(times),
                "p95_ms": times[int(len(times) * 0.95) - 1],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "accuracy": metrics.accuracy,
                "f1": metrics.f1,
                "threshold": classifier.threshold,
                "labels": [s >= classifier.threshold for s in scores],
                "scores": scores,
            }
        )
    )


def run_child(runtime: str, images: Path, model: str) -> dict | None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        result = subprocess.run(  # noqa: S603 - this script, our arguments
            [
                sys.executable,
                __file__,
                "--measure",
                runtime,
                "--images",
                str(images),
                "--model",
                model,
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        )
        if result.returncode != 0:
            print(f"{runtime}: failed\n{result.stderr.strip().splitlines()[-1]}")
            return None
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=SHARED / "cat-eval")
    parser.add_argument("--model", default="")
    parser.add_argument("--measure", choices=["litert", "keras"])
    parser.add_argument("--out", type=Path)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure, options.images, options.model, options.out)
        return

    results = {
        runtime: run_child(runtime, options.images, options.model)
        for runtime in ("litert", "keras")
    }
    print(f"{options.images}: one thread, batch 1, decode + resize + model")
    print(
        f"{'runtime':8} {'mean ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} "
        f"{'peak MB':>8} "
        f"{'load s':>7} {'accuracy':>9} {'F1':>7}"
    )
    for runtime, r in results.items():
        if r is None:
            continue
        print(
            f"{runtime:8} {r['mean_ms']:8.1f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} "
            f"{r['cpu_ms']:7.1f} "
            f"{r['peak_mb']:8.0f} {r['load_seconds']:7.1f} {r['accuracy']:9.4f} "
            f"{r['f1']:7.4f}"
        )
    litert, keras = results["litert"], results["keras"]
    if litert and keras:
        agree = sum(
            a == b for a, b in zip(litert["labels"], keras["labels"], strict=True)
        )
        difference = max(
            abs(a - b) for a, b in zip(litert["scores"], keras["scores"], strict=True)
        )
        print(
            f"label agreement LiteRT vs Keras: {agree}/{len(litert['labels'])} "
            f"({agree / len(litert['labels']):.2%}); largest score difference "
            f"{difference:.3f}; model {litert['version']}"
        )


if __name__ == "__main__":
    main()
