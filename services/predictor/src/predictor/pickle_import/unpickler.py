"""A restricted unpickler that rebuilds an estimator pickle as plain Python data.

`find_class` resolves only the allow-listed globals, and to stand-ins of our own, never to
numpy or scikit-learn: arrays become `PlainArray` (shape and flat values decoded with
`struct`), the estimator becomes `EstimatorState` (its attribute dict). So decoding works
without numpy or scikit-learn installed, for pickles made by numpy 1.x or 2.x with pickle
protocols 3 and 4 (Python 3.8 to 3.13 write 4 by default).
"""

import io
import pickle
import struct
from dataclasses import dataclass
from math import prod
from typing import Any

from predictor.pickle_import import allowlist

# numpy dtype codes ("<f8") to struct formats; byte order comes from the dtype's own state.
_STRUCT_FORMATS = {"f8": "d", "f4": "f", "i8": "q", "i4": "i", "i2": "h", "i1": "b"} | {
    "u8": "Q", "u4": "I", "u2": "H", "u1": "B", "b1": "?"
}  # fmt: skip
_BYTE_ORDERS = {"<": "<", ">": ">", "|": "<", "=": "="}


class DecodeRefused(Exception):
    """The pickle names or builds something outside what a LogisticRegression pickle holds."""


class Dtype:
    """numpy.dtype("f8", ...) with its pickled state: enough to decode an array's bytes."""

    def __init__(self, code: object, align: object = False, copy: object = True) -> None:
        if not isinstance(code, str) or code not in {*_STRUCT_FORMATS, "O8"}:
            raise DecodeRefused(f"unsupported numpy dtype {code!r}")
        self.code = code
        self.byte_order = "|"

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, tuple) or len(state) < 2 or state[1] not in _BYTE_ORDERS:
            raise DecodeRefused(f"unexpected numpy dtype state {state!r:.80}")
        self.byte_order = state[1]

    def decode(self, raw: object, count: int) -> list[Any]:
        if self.code == "O8":  # object arrays (feature_names_in_) pickle their items as a list
            if not isinstance(raw, list) or not all(isinstance(v, str | int | float) for v in raw):
                raise DecodeRefused("an object array holds something other than plain values")
            return list(raw)
        if not isinstance(raw, bytes | bytearray):
            raise DecodeRefused("array data is not bytes")
        layout = f"{_BYTE_ORDERS[self.byte_order]}{count}{_STRUCT_FORMATS[self.code]}"
        if struct.calcsize(layout) != len(raw):
            raise DecodeRefused(f"array data has {len(raw)} bytes, its shape and dtype need {struct.calcsize(layout)}")
        return list(struct.unpack(layout, raw))


@dataclass
class PlainArray:
    """An ndarray as its dtype code ("f8"), its shape and its values in C order."""

    dtype: str = ""
    shape: tuple[int, ...] = ()
    values: tuple[Any, ...] = ()

    def __setstate__(self, state: object) -> None:
        """ndarray.__reduce__'s state: (version, shape, dtype, is_fortran, data)."""
        if not isinstance(state, tuple) or len(state) != 5 or not isinstance(state[2], Dtype):
            raise DecodeRefused(f"unexpected numpy array state {state!r:.80}")
        _, shape, dtype, fortran, raw = state
        self.dtype = dtype.code
        self.shape = _checked_shape(shape)
        values = dtype.decode(raw, prod(self.shape))
        self.values = tuple(_fortran_to_c(values, self.shape) if fortran else values)

    def rows(self) -> list[list[Any]]:
        """A 2-D array as a list of rows."""
        if len(self.shape) != 2:
            raise DecodeRefused(f"expected a 2-D array, got shape {self.shape}")
        width = self.shape[1]
        return [list(self.values[i : i + width]) for i in range(0, len(self.values), width)]


class EstimatorState:
    """The pickled estimator, as the attribute dict its __setstate__ would have received."""

    def __init__(self) -> None:
        self.attributes: dict[str, Any] = {}

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, dict) or not all(isinstance(key, str) for key in state):
            raise DecodeRefused("the estimator's state is not a dict of attributes")
        self.attributes = state


class _NdarrayMarker:
    """numpy.ndarray as the first argument of _reconstruct; never instantiated."""


def _reconstruct(subtype: object, shape: object, typecode: object) -> PlainArray:
    if subtype is not _NdarrayMarker:
        raise DecodeRefused("_reconstruct is only accepted for numpy.ndarray")
    return PlainArray()


def _scalar(dtype: object, raw: object = b"") -> Any:
    """A numpy scalar (numpy.float64(1.0), say), as the Python value it holds."""
    if not isinstance(dtype, Dtype):
        raise DecodeRefused("unexpected numpy scalar")
    return dtype.decode(raw, 1)[0]


def _checked_shape(shape: object) -> tuple[int, ...]:
    if not isinstance(shape, tuple) or not all(isinstance(n, int) and 0 <= n <= 1_000_000 for n in shape):
        raise DecodeRefused(f"unexpected array shape {shape!r:.80}")
    return shape


def _fortran_to_c(values: list[Any], shape: tuple[int, ...]) -> list[Any]:
    if len(shape) != 2:
        return values
    rows, cols = shape
    return [values[c * rows + r] for r in range(rows) for c in range(cols)]


_STAND_INS: dict[tuple[str, str], object] = {
    allowlist.ESTIMATOR: EstimatorState,
    allowlist.NDARRAY: _NdarrayMarker,
    allowlist.DTYPE: Dtype,
    **dict.fromkeys(allowlist.ARRAY_RECONSTRUCT, _reconstruct),
    **dict.fromkeys(allowlist.SCALAR, _scalar),
}


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves allow-listed globals to the stand-ins above and refuses every other one."""

    def find_class(self, module: str, name: str) -> object:
        stand_in = _STAND_INS.get((module, name))
        if stand_in is None:
            raise DecodeRefused(f"the pickle names {module}.{name}, which is not on the allow-list")
        return stand_in


def decode(data: bytes) -> object:
    """The pickle's top-level object, built from stand-ins only."""
    try:
        return RestrictedUnpickler(io.BytesIO(data)).load()
    except DecodeRefused:
        raise
    except Exception as error:  # a malformed stream: EOF, bad opcode, a stand-in called wrongly
        raise DecodeRefused(f"the pickle does not decode as an estimator: {type(error).__name__}: {error}") from None
