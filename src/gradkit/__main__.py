"""``python -m gradkit``: the ``gradkit`` command."""

import sys

from gradkit.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a script
    sys.exit(main())
