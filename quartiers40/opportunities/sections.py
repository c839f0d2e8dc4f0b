"""What opportunities add to the home, QPV and organisation pages (public pages)."""


def register() -> None:
    """Called from OpportunitiesConfig.ready()."""
