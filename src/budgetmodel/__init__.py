"""budgetmodel: budget and reform-impact model for Danish municipal employment services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("budgetmodel")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"
