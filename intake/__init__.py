"""Peer Support Intake: confidential, bilingual intake and routing for physician peer support."""

__version__ = "0.1.0"
APP_NAME = "Peer Support Intake"
