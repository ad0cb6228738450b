"""Allow `python -m fmnist`."""

import sys

from fmnist.cli import main

sys.exit(main())
