"""The shared store: PostgreSQL, with every free-text field and identifier sealed on the station."""
