"""Where the bundled law (rates/), statistics (data/), scenarios and templates live.

The project keeps these folders at the top of the repository (next to ``src/``). An installed
package finds them through ``BUDGETMODEL_HOME`` or by walking up from this file; the CLI
accepts explicit paths everywhere, so nothing depends on the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("BUDGETMODEL_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "rates").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


def rates_dir() -> Path:
    return project_root() / "rates"


def data_dir() -> Path:
    return project_root() / "data"


def scenarios_dir() -> Path:
    return project_root() / "scenarios"


def templates_dir() -> Path:
    return project_root() / "reports" / "templates"
