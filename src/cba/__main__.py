import sys

from cba.cli._main import main

sys.exit(main())
