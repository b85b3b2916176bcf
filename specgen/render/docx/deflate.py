"""Deflate data made in pieces that join by concatenation, and the zip archive that holds it.

A long document's body is compressed piece by piece as it is written, so a piece reused from
the cache (render.docx.reuse) is never compressed again: each piece is a run of deflate blocks
ending on a byte boundary (a sync flush), and pieces followed by one final empty block are one
valid deflate stream. The archive is written here, entry by entry as zipfile writes it (the
same bytes for an entry given whole, below the 2 GiB where zipfile turns to zip64), because
zipfile cannot take data already compressed; an archive that would need zip64 is refused.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Deflated", "crc32_combine", "zip_archive"]

_LEVEL = 6  # zipfile's default, kept: the archives specgen wrote before have these bytes
_FINAL = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15).flush()  # one empty final block


@dataclass(frozen=True, slots=True)
class Deflated:
    """Raw deflate blocks ending on a byte boundary, not final; the CRC-32 and length of the
    bytes they hold."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, raw: bytes) -> Deflated:
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        data = compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
        return cls(data, zlib.crc32(raw), len(raw))

    def inflated(self) -> bytes:
        """The bytes it holds."""
        return zlib.decompressobj(-15).decompress(self.data)


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two byte strings joined, from each one's CRC and the second's length
    (zlib's crc32_combine, which Python's zlib does not offer)."""
    if second_size < 0:
        raise ValueError(f"a length cannot be negative: {second_size}")
    power = 0
    while second_size:
        if second_size & 1:
            first = _times(_zeros(power), first)
        second_size >>= 1
        power += 1
    return first ^ second


def _times(matrix: tuple[int, ...], vector: int) -> int:
    total = 0
    row = 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


@functools.cache
def _zeros(power: int) -> tuple[int, ...]:
    """The operator on a CRC-32 of appending 2**power zero bytes (a 32 × 32 matrix over GF(2))."""
    if power == 0:
        bit = (0xEDB88320, *(1 << n for n in range(31)))  # one zero bit
        for _ in range(3):  # squared three times: eight bits, one byte
            bit = tuple(_times(bit, row) for row in bit)
        return bit
    half = _zeros(power - 1)
    return tuple(_times(half, row) for row in half)


# Entry = (name, whole bytes) or (name, deflated pieces): the archive's entries in order.
Entry = tuple[str, bytes | Sequence[Deflated]]
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01: no clock is read
_DOS_TIME = 0
_VERSION = 20  # deflate
_ZIP32 = 0xFFFFFFFF  # sizes and offsets from here on need zip64
_EXTERNAL = 0o600 << 16  # rw-------, as zipfile gave the entries specgen wrote before


def zip_archive(entries: Sequence[Entry]) -> bytes:
    """A zip archive of `entries`, each deflated, with fixed times and attributes."""
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, content in entries:
        data, crc, size = _deflated(content)
        if size >= _ZIP32 or len(data) >= _ZIP32:
            raise ValueError(f"{name}: an entry of 4 GiB needs zip64, which this writer omits")
        encoded = name.encode("ascii")  # the names of a Word or Excel package are ASCII
        fields = (8, _DOS_TIME, _DOS_DATE, crc, len(data), size, len(encoded))
        header = struct.pack("<4s2H2HHL2L2H", b"PK\x03\x04", _VERSION, 0, *fields, 0)
        central = struct.pack(
            "<4s4B4HL2L5HLL", b"PK\x01\x02", _VERSION, 0, _VERSION, 0, 0, *fields,
            0, 0, 0, 0, _EXTERNAL, offset,
        )  # fmt: skip
        directory.append(central + encoded)
        out += (header, encoded, data)
        offset += len(header) + len(encoded) + len(data)
    central = b"".join(directory)
    count = len(directory)
    if offset + len(central) >= _ZIP32 or count >= 0xFFFF:
        raise ValueError("an archive of 4 GiB or 65,535 entries needs zip64, which this omits")
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    return b"".join([*out, central, end])


def _deflated(content: bytes | Sequence[Deflated]) -> tuple[bytes, int, int]:
    """An entry's compressed bytes, CRC-32 and length."""
    if isinstance(content, bytes):
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return data, zlib.crc32(content), len(content)
    crc, size = 0, 0
    for piece in content:
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
    return b"".join([*(piece.data for piece in content), _FINAL]), crc, size
