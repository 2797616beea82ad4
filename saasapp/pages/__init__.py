"""One package per feature; ``saasapp.py`` is the only importer."""
