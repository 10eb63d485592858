"""Sub-commands of `intake` that run without the window toolkit."""
