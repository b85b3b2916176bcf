"""The deflate pieces a body is compressed in, and the zip writer that takes them."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from specgen.render.docx.deflate import Deflated, crc32_combine, zip_archive

_TEXTS = st.lists(st.binary(max_size=3000) | st.text(max_size=500).map(str.encode), max_size=6)


@given(st.binary(max_size=2000), st.binary(max_size=70000))
def test_crc32_combine_is_the_crc_of_the_joined_bytes(first: bytes, second: bytes) -> None:
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


@settings(max_examples=60)
@given(_TEXTS)
def test_deflated_pieces_joined_are_one_stream_of_the_joined_bytes(pieces: list[bytes]) -> None:
    """Pieces compressed on their own, concatenated and closed by zip_archive, unzip to the
    concatenation: what the reused pieces of a body rely on."""
    data = zip_archive([("word/document.xml", [Deflated.of(p) for p in pieces])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC checked
        assert archive.read("word/document.xml") == b"".join(pieces)


@settings(max_examples=60)
@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z_\[\]/.]{0,29}[A-Za-z_.]", fullmatch=True), st.binary(max_size=5000),
        max_size=5,
    )
)  # fmt: skip
def test_entries_given_whole_have_the_bytes_zipfile_writes(items: dict[str, bytes]) -> None:
    """The writer replaced zipfile so that a body can arrive deflated; for entries given whole
    it writes zipfile's bytes, so every archive specgen wrote before is unchanged."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in items.items():
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, data, compresslevel=6)
    assert zip_archive(list(items.items())) == out.getvalue()
