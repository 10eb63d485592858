"""What a person can do, free of Qt: each service takes the store and plain immutable values,
and runs one transaction per user action with its audit entries inside it.

Layers: intake.ui -> intake.services -> intake.storage (checked by import-linter). The window
holds services and never the store's rows; the services never import Qt.
"""
