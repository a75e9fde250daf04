"""Offline model pipeline: flights data in, verified serving artifacts out (needs scikit-learn)."""
