"""Numbers written the Spanish way, for the answers in Spanish (docs/respuestas.md, report headlines)."""


def es(number: float, decimals: int = 0) -> str:
    """A number written the Spanish way: 1.467.873 and 45,0."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
