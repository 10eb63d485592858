"""The encrypted store (SQLCipher), free of Qt.

Import from the submodules (`intake.storage.db`, `intake.storage.errors`, …): this package
imports nothing itself, so code that only needs the error types or `store_exists` does not load
the SQLCipher driver.
"""
