"""Fault-injection, hostile-input and load harnesses that prove the index loses nothing.

Run `python -m stress --help`. Each harness drives the real `indexer` and `webui`
programs (subprocesses, real files, a real waitress server on 127.0.0.1) and returns
plain result values; the tests in tests/reliability/ run short versions of each.
"""
