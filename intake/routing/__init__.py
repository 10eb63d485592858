"""Routing: from a few answers to ordered recommendations, each with its reasons."""
