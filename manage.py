#!/usr/bin/env python
from resuelve.cli import main

if __name__ == "__main__":
    main()
