"""The ``gradkit`` command: ``gradkit demo`` tours what gradkit does, with figures;
``gradkit precompile`` fills numba's disk cache with gradkit's kernels ahead of time.

``gradkit`` with no command prints its help and exits with status 2 (argparse's status for
a command line that lacks a required argument); ``gradkit --version`` prints the version.
``python -m gradkit`` is the same command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from gradkit import __version__
from gradkit._precompile import CAPABILITIES

# Each capability contributes one section: a module with ``run(outdir: Path) -> str`` that
# returns the text to print (a table, and the name of any figure it wrote to ``outdir``).
DEMO_SECTIONS = (
    "gradkit.fd._demo",
    "gradkit.grid._demo",
    "gradkit.rbf._demo",
    "gradkit.numdiff._demo",
)

DESCRIPTION = (
    "gradkit: gradients of sampled data, of grid and kernel interpolants, and of Python "
    "functions. 'gradkit demo' tours what gradkit does, printing tables and writing PNG "
    "figures."
)

# argparse's exit status for a command line it cannot use, here one without a command
USAGE_ERROR = 2


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
        elapsed = time.perf_counter() - start
        print(f"(section took {elapsed:.1f} s, including numba compilation on first use)\n")
    return 0


def run_precompile(capabilities, dtypes, progress) -> int:
    """Compile the kernels of ``capabilities`` for ``dtypes`` into numba's disk cache."""
    from numba.core.config import CACHE_DIR

    from gradkit import precompile

    start = time.perf_counter()
    count = precompile(capabilities or None, dtypes=dtypes or ("float64",), progress=progress)
    where = CACHE_DIR or "numba's default (__pycache__ beside gradkit's modules, or the user cache)"
    print(f"gradkit precompile: {count} kinds of call ready in {time.perf_counter() - start:.1f} s")
    print(f"numba cache: {where} (NUMBA_CACHE_DIR chooses it)")
    return 0


def _capability(text):
    if text not in CAPABILITIES:
        raise argparse.ArgumentTypeError(
            f"invalid capability {text!r} (choose from {', '.join(CAPABILITIES)})"
        )
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradkit",
        description=DESCRIPTION,
        epilog="Without a command, gradkit prints this help and exits with status 2.",
    )
    parser.add_argument("--version", action="version", version=f"gradkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="command")
    demo = sub.add_parser(
        "demo",
        help="tour gradkit's capabilities and write figures",
        description="Tour gradkit's capabilities: print tables and write PNG figures.",
    )
    demo.add_argument(
        "--outdir",
        type=Path,
        default=Path("."),
        help="directory for the PNG figures (default: the working directory)",
    )
    pre = sub.add_parser(
        "precompile",
        help="compile gradkit's kernels ahead of time into numba's disk cache",
        description=(
            "Compile gradkit's kernels for the common kinds of call into numba's disk cache, "
            "so that later processes start warm (container images, CI caches). "
            "NUMBA_CACHE_DIR chooses where the cache lives."
        ),
    )
    pre.add_argument(
        "capabilities",
        nargs="*",
        type=_capability,
        metavar="capability",
        help=f"any of {', '.join(CAPABILITIES)} (default: all)",
    )
    pre.add_argument(
        "--dtype",
        action="append",
        choices=["float64", "float32"],
        dest="dtypes",
        help="float64 and/or float32, repeatable (default: float64)",
    )
    pre.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None) -> int:
    """Entry point of the ``gradkit`` console script and of ``python -m gradkit``.

    Parameters
    ----------
    argv : list of str, optional
        The command-line arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 2 when no command is given (the help is then printed
        to stderr).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a usage error, as argparse reports them: on stderr, status 2
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    if args.command == "demo":
        return run_demo(args.outdir)
    if args.command == "precompile":
        return run_precompile(args.capabilities, args.dtypes, not args.quiet)
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
