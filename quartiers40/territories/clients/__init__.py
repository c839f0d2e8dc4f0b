"""Adapters for the external services the territories domain talks to."""
