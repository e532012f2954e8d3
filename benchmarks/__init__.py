"""`make bench`: what the clients cost over raw httpx (see docs/performance.md)."""
