"""The bundled model's manifest as Markdown: how it does on the team's holdout and its parity with
scikit-learn, for the docs' model blocks (quotes.py)."""

from collections.abc import Callable

from harness.spanish import es
from predictor.artifacts import Holdout, Manifest

ENGLISH_MATRIX = ("predicted on time", "predicted delayed", "on time", "delayed")


SPANISH_MATRIX = ("predicho a tiempo", "predicho atrasado", "a tiempo", "atrasado")


def _matrix(matrix: list[list[int]], labels: tuple[str, str, str, str], number: Callable[[int], str]) -> list[str]:
    predicted_0, predicted_1, actual_0, actual_1 = labels
    (a, b), (c, d) = matrix
    return [
        f"| | {predicted_0} | {predicted_1} |",
        "|---|---:|---:|",
        f"| **{actual_0}** | {number(a)} | {number(b)} |",
        f"| **{actual_1}** | {number(c)} | {number(d)} |",
    ]


def _delayed_share(holdout: Holdout) -> float:
    """Share of the holdout's flights that really left late (row 1 of the confusion matrix)."""
    return sum(holdout.confusion_matrix[1]) / holdout.rows


def holdout_table(manifest: Manifest) -> str:
    h = manifest.holdout
    if h is None:
        return "The manifest has no holdout figures (`./task model:import` records them)."
    notebook = (
        "This is, cell for cell, the confusion matrix the team's notebook recorded for this model "
        "(section 2.1 of `model.ipynb`): the manifest keeps both, and `matches_notebook` is true."
        if h.matches_notebook
        else "The notebook's confusion matrix is not matched (`matches_notebook` is not true)."
    )
    return "\n".join(
        [
            f"On the team's test split ({h.rows:,} flights of `x_test` the model was not trained on), "
            "from the manifest's `holdout`:",
            "",
            *_matrix(h.confusion_matrix, ENGLISH_MATRIX, "{:,}".format),
            "",
            notebook,
            "",
            "| metric | value | what it means for a caller |",
            "|---|---:|---|",
            f'| recall of "delayed" | {h.recall_delayed:.4f} | of the flights that were late, it flags '
            f"{h.recall_delayed:.0%} |",
            f'| precision of "delayed" | {h.precision_delayed:.4f} | of the flights it flags, '
            f"{h.precision_delayed:.0%} are late |",
            f"| accuracy | {h.accuracy:.4f} | |",
            f'| F1 of "delayed" | {h.f1_delayed:.4f} | |',
            f"| ROC AUC | {h.roc_auc:.4f} | the chance that its probability ranks a late flight above an on-time one |",
            f'| share predicted delayed | {h.predicted_delay_share:.4f} | it says "delayed" for '
            f"{h.predicted_delay_share:.0%} of flights, against {_delayed_share(h):.0%} that are |",
        ]
    )


def parity_line(manifest: Manifest) -> str:
    p = manifest.sklearn_parity
    if p is None:
        return "The manifest has no scikit-learn parity (`./task model:import` records it)."
    rows = ", ".join(f"{count:,} {name}" for name, count in p.rows.items())
    return (
        f"scikit-learn {p.sklearn_version}'s own `predict` and `predict_proba` on the pickle's estimator, "
        f"against the served weights, on {rows}: {p.label_mismatches} labels differ, and probabilities "
        f"differ by at most {p.max_probability_difference:.1e} (`sklearn_parity`)."
    )


FILAS = {
    "valid flights": "vuelos posibles",
    "random 0/1 vectors": "vectores 0/1 al azar",
    "holdout": "filas de `x_test`",
}


def modelo(manifest: Manifest) -> str:
    """Spanish: the notebook parity and the scikit-learn parity, for docs/respuestas.md."""
    h, p = manifest.holdout, manifest.sklearn_parity
    if h is None or p is None:
        return "El manifiesto no tiene las pruebas de paridad (`./task model:import` las registra)."
    notebook = "idéntica, celda por celda," if h.matches_notebook else "distinta de"
    rows = ", ".join(f"{es(count)} {FILAS.get(name, name)}" for name, count in p.rows.items())
    return "\n".join(
        [
            *_matrix(h.confusion_matrix, SPANISH_MATRIX, es),
            "",
            f"- Matriz de confusión sobre `x_test` ({es(h.rows)} vuelos que el modelo no vio al entrenar): "
            f"**{notebook} a la que registró el notebook del equipo** (`matches_notebook`).",
            f"- scikit-learn {p.sklearn_version} (`predict` y `predict_proba` del estimador del pickle) contra los "
            f"pesos servidos, en {rows}: {p.label_mismatches} etiquetas distintas; las probabilidades difieren a "
            f"lo más en {f'{p.max_probability_difference:.1e}'.replace('.', ',')}.",
            f'- Recall de "atrasado" {es(h.recall_delayed, 4)}, precisión {es(h.precision_delayed, 4)}, '
            f"ROC AUC {es(h.roc_auc, 4)}: la ficha del modelo explica qué significan para quien llama.",
        ]
    )
