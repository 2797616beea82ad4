"""One module per scenario; each has ``run(env, options) -> list[Comparison]``."""
