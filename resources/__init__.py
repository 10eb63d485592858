"""Data shipped with the application: installed as the package `intake.resources` (see
pyproject.toml) and read with importlib.resources (intake.paths.shipped)."""
