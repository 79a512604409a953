"""The ``vbqppl`` command line (installed as the ``vbqppl_cli`` package)."""
