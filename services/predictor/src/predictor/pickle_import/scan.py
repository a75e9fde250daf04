"""Static safety analysis of a pickle with fickling: decide before anything is unpickled.

fickling decodes the opcodes and interprets them symbolically (nothing runs). We keep its
structural and known-malicious analyses and replace its "non-standard import" warning, which
any scikit-learn pickle triggers, with our allow-list: a pickle that imports anything else is
refused, whatever it would do with it.
"""

import ast
import io

from fickling.analysis import (
    Analysis,
    AnalysisResult,
    Analyzer,
    BadCalls,
    DuplicateProtoAnalysis,
    ExpansionAttackAnalysis,
    InterpretationErrorAnalysis,
    InvalidOpcode,
    MisplacedProtoAnalysis,
    ResourceExhaustionAnalysis,
    ScannerDeactivation,
    Severity,
    UnsafeImports,
    UnsafeImportsML,
    UnusedVariables,
)
from fickling.fickle import Pickled, PickleDecodeError
from fickling.ml import MLAllowlist

from predictor.pickle_import import allowlist


class OnlyAllowedGlobals(MLAllowlist, register=False):  # type: ignore[misc,call-arg]  # fickling is untyped
    """fickling's allow-list analysis, with our list of globals instead of its ML catalogue."""

    def __init__(self) -> None:
        super().__init__()
        self.allowlist = allowlist.by_module()


def _analyses() -> list[Analysis]:
    kinds = (
        DuplicateProtoAnalysis,
        MisplacedProtoAnalysis,
        InvalidOpcode,
        InterpretationErrorAnalysis,
        ResourceExhaustionAnalysis,
        ExpansionAttackAnalysis,
        BadCalls,
        UnsafeImports,
        UnsafeImportsML,
        ScannerDeactivation,
        UnusedVariables,
    )
    return [OnlyAllowedGlobals(), *(kind() for kind in kinds)]


def findings(data: bytes) -> list[str]:
    """What makes this pickle unsafe to decode, worst first; empty when it is acceptable."""
    stream = io.BytesIO(data)
    try:
        pickled = Pickled.load(stream)
    except PickleDecodeError as error:
        return [f"not a valid pickle ({str(error) or type(error).__name__})"]
    except NotImplementedError as error:  # fickling does not know this opcode: fail closed
        return [f"fickling cannot analyse it ({error}); save the model with pickle protocol 4"]
    if stream.tell() != len(data):
        return [f"{len(data) - stream.tell()} bytes follow the end of the pickle"]
    results: list[AnalysisResult] = Analyzer(_analyses()).analyze(pickled).results
    unsafe = sorted((r for r in results if r.severity > Severity.LIKELY_SAFE), reverse=True)
    return _other_estimators(pickled) + [str(result) for result in unsafe]


def _other_estimators(pickled: Pickled) -> list[str]:
    """Say plainly when the pickle is a scikit-learn model of another kind (it is refused anyway)."""
    named = sorted(
        (node.module, alias.name)
        for node in pickled.properties.imports
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    )
    return [
        f"it holds {module}.{name}; only scikit-learn's LogisticRegression can be served"
        for module, name in dict.fromkeys(named)
        if module.startswith("sklearn.") and (module, name) != allowlist.ESTIMATOR
    ]
