"""One router per domain, mounted in `quartiers40.api.api`."""
