import sys

from vetopito.cli import main

sys.exit(main())
