import sys

from social_warehouse.cli import main

sys.exit(main())
