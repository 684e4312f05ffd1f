"""The formulas of an .xls sheet that are literal values (``=50%``, ``=1次``), as typed.

xlrd reads only the value a formula last computed: ``=50%`` reads 0.5 under the General
format LibreOffice gives it, and a formula LibreOffice could not compile (``=1次``) reads as
the error #NAME?. The sheet's FORMULA records hold the formula itself as tokens (BIFF8's
parsed expressions); this decodes the few tokens a literal is made of — numbers, strings,
signs, ``%`` and brackets — and leaves every other formula to its computed value.

LibreOffice keeps the text of a formula it could not compile as one string token, with the
error as its result: that text is what was typed.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

_FORMULA, _SHARED, _END = 0x0006, 0x04BC, 0x000A
_ERROR_RESULT = 2  # the first byte of a FORMULA record's result when it is an error
_NUMBER_TOKENS = {0x1E: ("<H", 2), 0x1F: ("<d", 8)}  # tInt, tNum
_STRING, _SHARED_REF, _PAREN, _PERCENT = 0x17, 0x01, 0x15, 0x14
_SIGNS = {0x12: "+", 0x13: "-"}  # tUplus, tUminus

Cell = tuple[int, int]  # (row, column), 0-based as xlrd counts them


def literal_formulas(book: Any, index: int) -> dict[Cell, str]:
    """Each cell of sheet ``index`` whose formula is a literal value: its text after ``=``."""
    shared: dict[Cell, bytes] = {}
    found: dict[Cell, tuple[bytes, bool]] = {}
    for kind, data in _records(book.mem, book._sh_abs_posn[index]):
        if kind == _FORMULA and len(data) >= 22:
            row, column = struct.unpack_from("<HH", data)
            (size,) = struct.unpack_from("<H", data, 20)
            failed = data[6] == _ERROR_RESULT and data[12:14] == b"\xff\xff"
            found[(row, column)] = (data[22 : 22 + size], failed)
        elif kind == _SHARED and len(data) >= 10:
            first_row, _, first_column = struct.unpack_from("<HHB", data)
            (size,) = struct.unpack_from("<H", data, 8)
            shared[(first_row, first_column)] = data[10 : 10 + size]
    texts: dict[Cell, str] = {}
    for cell, (tokens, failed) in found.items():
        if tokens[:1] == bytes([_SHARED_REF]) and len(tokens) >= 5:
            tokens = shared.get(struct.unpack_from("<HH", tokens, 1), b"")
        try:
            text = literal_text(tokens, failed)
        except (struct.error, IndexError, UnicodeDecodeError):
            text = None  # cut-off tokens: the computed value stands
        if text is not None:
            texts[cell] = text
    return texts


def _records(memory: Any, start: int) -> Iterator[tuple[int, bytes]]:
    """The records of the sheet whose BOF is at ``start``, up to its EOF."""
    position = start
    while position + 4 <= len(memory):
        kind, size = struct.unpack_from("<HH", memory, position)
        yield kind, bytes(memory[position + 4 : position + 4 + size])
        if kind == _END:
            return
        position += 4 + size


def literal_text(tokens: bytes, failed: bool) -> str | None:
    """The formula text of ``tokens`` when they are a literal, else None.

    ``failed``: the formula's result is an error, so a lone string is the uncompiled text.
    """
    stack: list[str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token in _NUMBER_TOKENS:
            layout, size = _NUMBER_TOKENS[token]
            (number,) = struct.unpack_from(layout, tokens, position)
            stack.append(f"{number:.15g}")
            position += size
        elif token == _STRING:
            text, position = _string(tokens, position)
            stack.append(text if failed else '"' + text.replace('"', '""') + '"')
        elif token in _SIGNS and stack:
            stack.append(_SIGNS[token] + stack.pop())
        elif token == _PERCENT and stack:
            stack.append(stack.pop() + "%")
        elif token == _PAREN and stack:
            stack.append(f"({stack.pop()})")
        else:
            return None  # a reference, a function, an operator: not a literal
    return stack[0] if len(stack) == 1 else None


def _string(tokens: bytes, position: int) -> tuple[str, int]:
    """A tStr's characters: a count, a flag (bit 0: two bytes each), the characters."""
    count, flags = tokens[position], tokens[position + 1]
    position += 2
    if flags & 1:
        return tokens[position : position + 2 * count].decode("utf-16-le"), position + 2 * count
    return tokens[position : position + count].decode("latin-1"), position + count
