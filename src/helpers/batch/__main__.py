"""``python -m helpers.batch``: the ``dki-recap`` command (:func:`helpers.batch.main`)."""

import sys

from helpers.batch import main

if __name__ == "__main__":
    sys.exit(main())
