"""A fake Hugging Face Hub for the tests (see ``server.py`` and ``fixtures/README.md``)."""
