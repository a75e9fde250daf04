"""Check the OpenSLO folder before anything is generated from it.

Every problem names the file, the path inside the document and what is wrong, so a reviewer can
fix it without reading this module. Rules beyond OpenSLO v1 itself (marked "generator:") are the
limits of what the backends here can express.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slokit import durations, selectors
from slokit.conventions import CLOUD_RUN_SLI, DEPLOY_GATE, SHORT_WINDOW
from slokit.documents import Document, LoadError, load_file

API_VERSION = "openslo/v1"
KINDS = ("Service", "DataSource", "SLI", "SLO", "AlertPolicy", "AlertCondition", "AlertNotificationTarget")
CLOUD_RUN_SLI_KINDS = ("availability", "latency")
Index = dict[tuple[str, str], Document]  # (kind, name) -> document
SEVERITIES = ("page", "ticket")
GCP_MAX_PERIOD_DAYS = 30
_NAME = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")


@dataclass(frozen=True)
class Problem:
    file: Path
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class _Check:
    """Collects problems for one document; helpers read nested fields by dotted path."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc, self.problems = doc, problems

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.doc.file, path, message))

    def get(self, path: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
        value: Any = self.doc.body
        for key in path.split("."):
            if isinstance(value, list) and key.isdigit():
                value = value[int(key)] if int(key) < len(value) else None
            else:
                value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            if required:
                self.fail(path, "is missing")
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.fail(path, f"must be a {_type_name(kind)}, not {type(value).__name__}")
            return None
        return value


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {dict: "mapping", list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def validate_dir(folder: Path) -> list[Problem]:
    return load_and_validate(folder)[1]


def load_and_validate(folder: Path) -> tuple[list[Document], list[Problem]]:
    """Every readable document of the folder, read once, and every problem found in them."""
    docs, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        try:
            docs.append(load_file(path))
        except LoadError as error:
            problems.append(Problem(error.file, "(file)", error.problem))
    if not any(folder.glob("*.yaml")):
        problems.append(Problem(folder, "(folder)", "holds no *.yaml OpenSLO documents"))
    return docs, problems + validate(docs)


def validate(docs: list[Document]) -> list[Problem]:
    """All problems in a set of documents, cross-file references included."""
    problems: list[Problem] = []
    index: dict[tuple[str, str], Document] = {}
    for doc in docs:
        check = _Check(doc, problems)
        if _envelope(check) and (doc.kind, doc.name) in index:
            check.fail(
                "metadata.name", f"{doc.kind} {doc.name!r} is also defined in {index[(doc.kind, doc.name)].file.name}"
            )
        index.setdefault((doc.kind, doc.name), doc)
    for doc in docs:
        if doc.kind in _SPECS:
            _SPECS[doc.kind](_Check(doc, problems), index)
    services = [doc for doc in docs if doc.kind == "Service"]
    if docs and len(services) != 1:
        problems.append(
            Problem(
                docs[0].file.parent,
                "(folder)",
                f"generator: needs exactly one Service (the Cloud Run service), found {len(services)}",
            )
        )
    return problems


def _envelope(check: _Check) -> bool:
    if check.doc.body.get("apiVersion") != API_VERSION:
        check.fail("apiVersion", f"must be {API_VERSION!r}, got {check.doc.body.get('apiVersion')!r}")
    kind = check.doc.body.get("kind")
    if kind not in KINDS:
        check.fail("kind", f"unknown kind {kind!r}; OpenSLO v1 kinds are {', '.join(KINDS)}")
        return False
    name = check.get("metadata.name", str)
    if name is not None and not _NAME.fullmatch(name):
        check.fail("metadata.name", f"{name!r} is not an RFC 1123 label (a-z, 0-9, '-', <= 63)")
    check.get("metadata.annotations", dict, required=False)
    check.get("spec", dict)
    return name is not None


def _ref(check: _Check, index: Index, path: str, kind: str) -> Any:
    name = check.get(path, str)
    if name is not None and (kind, name) not in index:
        check.fail(path, f"refers to {kind} {name!r}, which no file in the folder defines")
        return None
    return index.get((kind, name)) if name is not None else None


def _items(check: _Check, path: str, exactly: int | None = None, at_least: int = 1) -> list[Any]:
    items = check.get(path, list) or []
    if exactly is not None and len(items) != exactly:
        check.fail(path, f"must have exactly {exactly} item(s), has {len(items)}")
    elif len(items) < at_least:
        check.fail(path, f"must have at least {at_least} item(s)")
    return items


def _annotation(check: _Check, key: str) -> str | None:
    annotations = check.doc.body.get("metadata", {}).get("annotations") or {}
    return annotations.get(key) if isinstance(annotations, dict) else None


def _data_source(check: _Check, index: Index) -> None:
    check.get("spec.type", str)
    check.get("spec.connectionDetails", (dict, list))


def _sli(check: _Check, index: Index) -> None:
    if check.get("spec.thresholdMetric", dict, required=False) is not None:
        check.fail("spec.thresholdMetric", "generator: only ratioMetric SLIs are supported")
        return
    if check.get("spec.ratioMetric", dict) is None:
        return
    if check.get("spec.ratioMetric.counter", bool) is False:
        check.fail("spec.ratioMetric.counter", "generator: must be true (queries use rate())")
    if check.get("spec.ratioMetric.bad", dict, required=False) is not None:
        check.fail(
            "spec.ratioMetric.bad",
            "generator: use good; 1 - good/total has data even when nothing has failed yet, bad/total has none",
        )
    parsed = {part: _metric_source(check, index, f"spec.ratioMetric.{part}.metricSource") for part in ("good", "total")}
    kind = _annotation(check, CLOUD_RUN_SLI)
    if kind not in CLOUD_RUN_SLI_KINDS:
        check.fail(
            f"metadata.annotations.{CLOUD_RUN_SLI}",
            f"must be one of {', '.join(CLOUD_RUN_SLI_KINDS)} (the Cloud Run SLI to build)",
        )
    elif kind == "latency" and parsed["good"] and parsed["good"].value_of("le") is None:
        check.fail(
            "spec.ratioMetric.good.metricSource.spec.query",
            'a latency SLI needs an le="<seconds>" matcher on a histogram bucket',
        )


def _metric_source(check: _Check, index: Index, path: str) -> selectors.Selector | None:
    if check.get(path, dict) is None:
        return None
    _ref(check, index, f"{path}.metricSourceRef", "DataSource")
    if check.get(f"{path}.type", str) not in (None, "Prometheus"):
        check.fail(f"{path}.type", "generator: only Prometheus metric sources are supported")
    query = check.get(f"{path}.spec.query", str)
    if query is None:
        return None
    try:
        return selectors.parse(query)
    except ValueError as error:
        check.fail(f"{path}.spec.query", str(error))
        return None


def _slo(check: _Check, index: Index) -> None:
    _ref(check, index, "spec.service", "Service")
    if check.get("spec.indicator", dict, required=False) is not None:
        check.fail("spec.indicator", "generator: define the SLI in its own file and use indicatorRef")
    else:
        _ref(check, index, "spec.indicatorRef", "SLI")
    if check.get("spec.budgetingMethod", str) not in (None, "Occurrences"):
        check.fail("spec.budgetingMethod", "generator: only Occurrences (request-based) is supported")
    for i, _ in enumerate(_items(check, "spec.timeWindow", exactly=1)[:1]):
        _time_window(check, f"spec.timeWindow.{i}")
    target = None
    for i, _ in enumerate(_items(check, "spec.objectives", exactly=1)[:1]):
        target = _target(check, f"spec.objectives.{i}")
    for i, _ in enumerate(_items(check, "spec.alertPolicies", at_least=0)):
        policy = _ref(check, index, f"spec.alertPolicies.{i}.alertPolicyRef", "AlertPolicy")
        if policy is not None and target is not None:
            _reachable(check, index, policy, target, f"spec.alertPolicies.{i}")
    gate = _annotation(check, DEPLOY_GATE)
    if gate not in (None, "true", "false"):
        check.fail(f"metadata.annotations.{DEPLOY_GATE}", 'must be "true" or "false"')


def _time_window(check: _Check, path: str) -> None:
    if check.get(f"{path}.isRolling", bool) is False:
        check.fail(
            f"{path}.isRolling",
            "generator: calendar windows are not supported; Prometheus "
            "and the GCP rolling_period_days need a rolling window",
        )
    duration = check.get(f"{path}.duration", str)
    if duration is None:
        return
    try:
        seconds = durations.to_seconds(duration)
    except ValueError as error:
        check.fail(f"{path}.duration", str(error))
        return
    if seconds % 86400 or not 1 <= seconds // 86400 <= GCP_MAX_PERIOD_DAYS:
        check.fail(
            f"{path}.duration",
            f"GCP rolling periods are 1 to {GCP_MAX_PERIOD_DAYS} whole days; {duration!r} cannot be expressed",
        )


def _target(check: _Check, path: str) -> float | None:
    target = check.get(f"{path}.target", (int, float), required=False)
    percent = check.get(f"{path}.targetPercent", (int, float), required=False)
    if (target is None) == (percent is None):
        check.fail(path, "needs exactly one of target and targetPercent")
        return None
    value = target if target is not None else percent / 100
    if not 0 < value < 1:
        field = "target" if target is not None else "targetPercent"
        check.fail(f"{path}.{field}", f"must be strictly between 0 and 1 (0% and 100%), got {value}")
        return None
    return float(value)


def _reachable(check: _Check, index: Index, policy: Document, target: float, path: str) -> None:
    """A burn-rate alert whose threshold times the budget is >= 1 can never fire."""
    conditions = policy.body.get("spec", {}).get("conditions") or [{}]
    condition = index.get(("AlertCondition", conditions[0].get("conditionRef")))
    threshold = condition and condition.body.get("spec", {}).get("condition", {}).get("threshold")
    if isinstance(threshold, int | float) and threshold * (1 - target) >= 1:
        check.fail(
            path,
            f"alert policy {policy.name!r} can never fire: burn rate {threshold} "
            f"needs an error ratio of {threshold * (1 - target):.3g} (> 100%)",
        )


def _alert_policy(check: _Check, index: Index) -> None:
    for i, _ in enumerate(_items(check, "spec.conditions", exactly=1)):
        _ref(check, index, f"spec.conditions.{i}.conditionRef", "AlertCondition")
    for i, _ in enumerate(_items(check, "spec.notificationTargets")):
        _ref(check, index, f"spec.notificationTargets.{i}.targetRef", "AlertNotificationTarget")


def _alert_condition(check: _Check, index: Index) -> None:
    if check.get("spec.severity", str) not in (None, *SEVERITIES):
        check.fail("spec.severity", f"generator: must be one of {', '.join(SEVERITIES)}")
    if check.get("spec.condition.kind", str) not in (None, "burnrate"):
        check.fail("spec.condition.kind", "must be burnrate")
    if check.get("spec.condition.op", str) not in (None, "gt"):
        check.fail("spec.condition.op", "generator: burn-rate alerts fire above the threshold: use gt")
    threshold = check.get("spec.condition.threshold", (int, float))
    if threshold is not None and threshold <= 0:
        check.fail("spec.condition.threshold", "must be greater than 0")
    if check.get("spec.condition.alertAfter", str, required=False) is not None:
        check.fail(
            "spec.condition.alertAfter",
            "generator: not supported; the short window already stops one-off spikes from alerting",
        )
    long = _seconds(check, "spec.condition.lookbackWindow", check.get("spec.condition.lookbackWindow", str))
    short_path = f"metadata.annotations.{SHORT_WINDOW}"
    short_text = _annotation(check, SHORT_WINDOW)
    if short_text is None:
        check.fail(short_path, "is missing (the short window of the multiwindow pair)")
    short = _seconds(check, short_path, short_text)
    if long and short and short * 12 != long:
        check.fail(
            short_path,
            f"must be 1/12 of lookbackWindow ({durations.prom(long)} / 12 = "
            f"{long // 12} s), as the SRE workbook derives the short window",
        )


def _seconds(check: _Check, path: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        seconds = durations.to_seconds(text)
        durations.prom(seconds)
        return seconds
    except ValueError as error:
        check.fail(path, str(error))
        return None


def _notification_target(check: _Check, index: Index) -> None:
    check.get("spec.target", str)


def _service(check: _Check, index: Index) -> None:
    check.get("spec.description", str, required=False)


_SPECS: dict[str, Callable[[_Check, Index], None]] = {
    "Service": _service,
    "DataSource": _data_source,
    "SLI": _sli,
    "SLO": _slo,
    "AlertPolicy": _alert_policy,
    "AlertCondition": _alert_condition,
    "AlertNotificationTarget": _notification_target,
}
