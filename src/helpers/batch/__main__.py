"""``python -m helpers.batch``: the ``pemilu-recap`` command (:func:`helpers.batch.cli.main`)."""

import sys

from helpers.batch.cli import main

if __name__ == "__main__":
    sys.exit(main())
