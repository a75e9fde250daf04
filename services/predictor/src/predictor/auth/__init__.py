"""Optional in-app authorization for the prediction routes (off unless configured).

On Cloud Run the platform already rejects callers without roles/run.invoker; this is for
deployments without that check, or as a second layer. See docs/security.md.
"""
