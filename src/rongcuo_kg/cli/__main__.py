"""`python -m rongcuo_kg.cli …`: the same as the `rongcuo-kg` command."""

import sys

from rongcuo_kg.cli.main import main

sys.exit(main())
