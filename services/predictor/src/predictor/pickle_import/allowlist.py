"""The only globals a LogisticRegression pickle may name, and what each one stands for."""

ESTIMATOR = ("sklearn.linear_model._logistic", "LogisticRegression")
# numpy moved its core from numpy.core (1.x) to numpy._core (2.x); pickles name either.
ARRAY_RECONSTRUCT = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct")}
SCALAR = {("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar")}
NDARRAY = ("numpy", "ndarray")
DTYPE = ("numpy", "dtype")

ALLOWED = {ESTIMATOR, NDARRAY, DTYPE} | ARRAY_RECONSTRUCT | SCALAR


def by_module() -> dict[str, dict[str, str]]:
    """The allow-list in fickling's shape: {module: {name: why it is harmless}}."""
    modules: dict[str, dict[str, str]] = {}
    for module, name in sorted(ALLOWED):
        modules.setdefault(module, {})[name] = "rebuilt as plain data by predictor's restricted unpickler"
    return modules
