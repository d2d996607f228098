"""Run Byline's benchmarks and record them in bench/results.md.

    python bench/run.py                    # every measurement
    python bench/run.py --only comment     # one of them (repeatable)
    python bench/run.py --n 50             # samples per measurement
    python bench/run.py --only pages --scale   # pages with 100,000 posts

Each measurement replaces its own section of results.md and leaves the others as they were,
so measurements run on different days keep their own machine details.
"""

import argparse
import importlib
import re
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # run as a script: make the `bench` package importable

from bench.report import machine, section_markdown, text_table  # noqa: E402

# One module per measurement, in the order they run and appear in results.md.
MEASUREMENTS = ["bench.comment_post", "bench.pages", "bench.wxr_import"]
RESULTS = BENCH_DIR / "results.md"
HEADER = ("# Benchmark results\n\nWritten by `make bench` (bench/run.py). Each section says "
          "when and on what machine it was measured.\n")


def _sections(text: str) -> dict[str, str]:
    """The `## title` sections of results.md, by title, in file order."""
    found = {}
    for chunk in re.split(r"(?m)^(?=## )", text):
        if chunk.startswith("## "):
            found[chunk.splitlines()[0][3:].strip()] = chunk.rstrip() + "\n"
    return found


def write_results(new: dict[str, str], order: list[str], path: Path = RESULTS) -> None:
    """Replace the measured sections in results.md, keeping any others."""
    sections = _sections(path.read_text()) if path.exists() else {}
    sections.update(new)
    titles = [t for t in order if t in sections] + [t for t in sections if t not in order]
    path.write_text(HEADER + "".join("\n" + sections[t] for t in titles))


def main(argv: list[str] | None = None) -> int:
    modules = [importlib.import_module(name) for name in MEASUREMENTS]
    keys = [m.KEY for m in modules]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=keys,
                        help="run only this measurement (repeatable)")
    parser.add_argument("--n", type=int, default=50, help="samples per measurement (default 50)")
    parser.add_argument("--scale", action="store_true",
                        help="seed 100,000 posts instead of 1,000 for the page measurements")
    parser.add_argument("--seconds", type=int, default=8,
                        help="seconds of load per page measurement (default 8)")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("--n must be at least 2")
    details = machine()
    print("Machine: " + "; ".join(f"{k} {v}" for k, v in details.items()))
    new = {}
    for module in modules:
        if args.only and module.KEY not in args.only:
            continue
        print(f"\n== {module.TITLE} (n={args.n}) ...", flush=True)
        extra = {"scale": args.scale, "seconds": args.seconds} if module.KEY == "pages" else {}
        section = module.measure(n=args.n, **extra)
        print(text_table(section.table))
        new[section.title] = section_markdown(section, details)
    write_results(new, [m.TITLE for m in modules])
    print(f"\nWritten to {RESULTS.relative_to(BENCH_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
