"""Load a peer's own test module from its installed wheel, with one import rewritten.

Nothing of the peers' suites is copied into this repository: at collection time the test
module is read from the installed numpy/scipy package, the import statement that binds the
names under test is followed by ``from gradkit import <names>`` (so those names now mean
gradkit's), and the module is executed into the namespace of a conformance test file,
where pytest collects its tests. Tracebacks point at the peer's own file and line numbers,
because the source is compiled under the peer file's path and only lines are appended.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path


def peer_source(module: str, names: tuple[str, ...]) -> tuple[str, str]:
    """The source of ``module`` with ``names`` rebound to gradkit's right after the import
    that binds them, and the path of the installed file."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ImportError(f"the peer test module {module} is not installed")
    path = spec.origin
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    last_line = None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            bound = {alias.asname or alias.name for alias in node.names}
            if set(names) & bound:
                last_line = node.end_lineno
    if last_line is None:
        raise ImportError(f"{module} has no top-level import of {names}")
    lines = source.splitlines(keepends=True)
    if "#" in lines[last_line - 1]:
        raise ImportError(f"{module}: the import ending on line {last_line} has a comment")
    # appended to the import's last line, so every later line keeps its number
    rebind = f"; from gradkit import {', '.join(names)}  # gradkit-conformance\n"
    lines[last_line - 1] = lines[last_line - 1].rstrip("\n") + rebind
    return "".join(lines), path


def share_capabilities(peer_object, gradkit_object) -> None:
    """Give ``gradkit_object`` the entry of ``peer_object`` in scipy's array-API
    capabilities table, which scipy's ``make_xp_test_case`` decorators look up by object."""
    from scipy._lib._array_api import xp_capabilities_table

    if peer_object in xp_capabilities_table:
        xp_capabilities_table[gradkit_object] = xp_capabilities_table[peer_object]


def load_peer_tests(module: str, names: tuple[str, ...], namespace: dict, keep=None) -> None:
    """Execute the rewritten peer module into ``namespace`` (a test file's globals).

    ``keep``: if given, only these top-level test classes or functions are exposed to
    pytest (the rest of the peer module still runs, for its helpers).
    """
    source, path = peer_source(module, names)
    peer = {"__name__": namespace["__name__"], "__file__": path}
    exec(compile(source, path, "exec"), peer)  # noqa: S102 - the installed peer's own tests
    for name, value in peer.items():
        if name.startswith("__"):
            continue
        is_test = name.startswith(("test_", "Test"))
        if is_test and keep is not None and name not in keep:
            continue
        namespace.setdefault(name, value)
