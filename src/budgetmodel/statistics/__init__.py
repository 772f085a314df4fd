"""Published statistics in data/ (CSV with a header naming document, table and unit): loading and validation."""
