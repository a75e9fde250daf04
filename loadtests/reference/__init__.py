"""Servers the load test measures ours against, from the challenge's reference app to the bare-ASGI ceiling."""
