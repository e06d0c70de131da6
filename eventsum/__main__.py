"""`python -m eventsum` is the `eventsum` command."""

from eventsum.cli import main

main()
