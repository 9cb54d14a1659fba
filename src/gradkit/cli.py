"""The ``gradkit`` command: ``gradkit demo`` tours what gradkit does, with figures."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

# Each capability contributes one section: a module with ``run(outdir: Path) -> str`` that
# returns the text to print (a table, and the name of any figure it wrote to ``outdir``).
DEMO_SECTIONS = (
    "gradkit.fd._demo",
    "gradkit.grid._demo",
    "gradkit.rbf._demo",
    "gradkit.numdiff._demo",
)


def _available_sections():
    for name in DEMO_SECTIONS:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency inside the section
                raise


def run_demo(outdir: Path) -> int:
    """Run every available demo section, writing figures to ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    print("gradkit demo: the gradient of your data, your interpolant, or your function.")
    print(f"Figures are written to {outdir.resolve()}\n")
    for module in _available_sections():
        start = time.perf_counter()
        text = module.run(outdir)
        print(text.rstrip())
        print(f"  (section took {time.perf_counter() - start:.1f} s)\n")
    return 0


def main(argv=None) -> int:
    """Entry point of the ``gradkit`` console script."""
    parser = argparse.ArgumentParser(prog="gradkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="tour gradkit's capabilities and write figures")
    demo.add_argument(
        "--outdir",
        type=Path,
        default=Path("."),
        help="directory for the PNG figures (default: the working directory)",
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        return run_demo(args.outdir)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
