"""Pages of the people who offer opportunities (views/provider.py)."""

urlpatterns: list = []
