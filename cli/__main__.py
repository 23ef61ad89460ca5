"""``python -m cli``: the ``atlas`` command line."""

import sys

from cli import main

sys.exit(main())
