"""budgetmodel: budget and reform-impact model for Danish municipal employment services."""


def __getattr__(name: str) -> str:
    # the version is looked up on first use: importlib.metadata costs ~30 ms at every start
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("budgetmodel")
        except PackageNotFoundError:  # running from a source tree without install
            v = "0.0.0+unknown"
        globals()["__version__"] = v  # once: sensitivity runs ask thousands of times
        return v
    raise AttributeError(f"module 'budgetmodel' has no attribute {name!r}")
