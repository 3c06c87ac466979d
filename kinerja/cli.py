"""The ``kinerja`` console command: everything ``manage.py`` does, plus Kinerja's commands."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    execute_from_command_line(["kinerja", *sys.argv[1:]])


if __name__ == "__main__":
    main()
