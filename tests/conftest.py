"""Shared pytest settings: the corpus folders hold inputs and the scripts that made them.

With ``--doctest-modules`` pytest imports every ``.py`` file under ``tests``; the corpus
generators (two are called ``make_corpus.py``) are scripts, not tests, and importing both
under one basename fails collection.
"""

collect_ignore_glob = ["corpus/*.py", "corpus/*/*.py"]
