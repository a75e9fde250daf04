"""Flight-delay prediction service for Santiago airport (SCL)."""
