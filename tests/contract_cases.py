"""eventsourcing's own persistence test cases, importable without pycryptodome.

eventsourcing.tests.persistence imports AESCipher for its infrastructure factory tests, and
AESCipher needs pycryptodome (eventsourcing's "crypto" extra), which this project does not
install. None of the test cases used here touch it: a stand-in lets the module import, and is
taken away again so that a real ``import eventsourcing.cipher`` still fails as it should.
"""

from __future__ import annotations

import importlib.util
import sys
import types

_CIPHER = "eventsourcing.cipher"
_cipher_stand_in: types.ModuleType | None = None
if _CIPHER not in sys.modules and importlib.util.find_spec("Crypto") is None:
    _cipher_stand_in = types.ModuleType(_CIPHER, "Stand-in: pycryptodome is not installed.")
    _cipher_stand_in.__dict__["AESCipher"] = None
    sys.modules[_CIPHER] = _cipher_stand_in
from eventsourcing.tests import persistence as contract  # noqa: E402

if _cipher_stand_in is not None and sys.modules.get(_CIPHER) is _cipher_stand_in:
    del sys.modules[_CIPHER]

__all__ = ["contract"]
