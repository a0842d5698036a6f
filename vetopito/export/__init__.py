"""Exports: the data behind a chart as CSV for Finnish Excel and XLSX, charts as PNG, slides."""
