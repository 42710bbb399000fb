"""``python -m caregraph`` runs the command line."""

import sys

from caregraph.cli import main

sys.exit(main())
