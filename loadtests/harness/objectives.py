"""The SLOs a load test is judged by, read from slo/openslo through slokit, never restated here."""

from functools import cache

from slokit import model, paths, selectors


@cache
def catalog() -> model.Catalog:
    return model.load(paths.OPENSLO_DIR)


def slo(kind: str) -> model.Slo:
    """The SLO whose SLI is of `kind` ("latency" or "availability")."""
    return next(s for s in catalog().slos if s.sli_kind == kind)


def latency_threshold_ms() -> float:
    """The latency SLI's bound: the le matcher of its good query, in milliseconds."""
    bound = selectors.parse(slo("latency").good_query).value_of("le")
    if bound is None:
        raise RuntimeError("the latency SLI's good query has no le matcher")
    return float(bound) * 1000
