"""budgetmodel: budget and reform-impact model for Danish municipal employment services."""


def __getattr__(name: str) -> str:
    # the version is looked up on first use: importlib.metadata costs ~30 ms at every start
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("budgetmodel")
        except PackageNotFoundError:  # running from a source tree without install
            return "0.0.0+unknown"
    raise AttributeError(f"module 'budgetmodel' has no attribute {name!r}")
