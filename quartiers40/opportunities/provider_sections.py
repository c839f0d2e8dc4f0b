"""What opportunities add to "Mon espace" and the coordination's "À traiter" page."""


def register() -> None:
    """Called from OpportunitiesConfig.ready()."""
