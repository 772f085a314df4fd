"""Report context → Jinja templates → md / html / pdf / xlsx. Templates see only plain report context."""
