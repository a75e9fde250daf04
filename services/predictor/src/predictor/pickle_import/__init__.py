"""Import a team's scikit-learn pickle without ever executing it.

A pickle is a program: loading one runs whatever its opcodes call. So the file's bytes are read
once, hashed against the pinned SHA-256, analysed statically (fickling) against a short
allow-list, decoded by a restricted unpickler that builds plain data instead of the real
classes, and turned into weights. Nothing in the pickle is ever imported or called.
"""

from predictor.pickle_import.importer import ImportedModel, PickleRefused, import_file, import_pickle

__all__ = ["ImportedModel", "PickleRefused", "import_file", "import_pickle"]
