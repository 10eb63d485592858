"""Kiosk mode: a locked, full-screen self-intake that forgets each person when they leave."""
