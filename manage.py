#!/usr/bin/env python
"""Django's manage.py for developers; the installed console script ``redchain`` does the same."""

from redchain.cli import main

if __name__ == "__main__":
    main()
