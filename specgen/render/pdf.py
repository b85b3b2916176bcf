"""Word to PDF by LibreOffice, headless: the table of contents updated, fonts aliased, bytes fixed.

LibreOffice's own `--convert-to pdf` does not update a document's indexes, so the table of
contents of a PDF made that way has no page numbers. specgen runs LibreOffice with a private
profile holding a one-routine Basic library that opens the .docx hidden, updates every index
(twice: the first update may move pages), refreshes the fields and exports the PDF. The fonts
a municipal PC has are drawn with Noto CJK through specgen's fontconfig aliases.

The PDF carries the time of export and a checksum of it; they are replaced, at the same
length, by the document's date and digests of the rest, so that the same .docx and the same
LibreOffice and fonts give the same bytes.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from specgen.forked import die_with_parent

__all__ = ["ConversionFailed", "docx_to_pdf", "find_office", "office_profiles"]

_TIMEOUT = 600  # seconds for one document; a 5,000-requirement spec is thousands of pages
_OFFICE_NAMES = ("soffice", "libreoffice")

_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Specgen" \
script:language="StarBasic">
Sub ExportPdf(source As String, target As String)
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = &quot;Hidden&quot;
    load(0).Value = True
    Dim doc As Object
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
    Dim indexes As Object
    indexes = doc.getDocumentIndexes()
    Dim pass As Integer, i As Integer
    For pass = 1 To 2
        For i = 0 To indexes.getCount() - 1
            indexes.getByIndex(i).update()
        Next i
    Next pass
    doc.getTextFields().refresh()
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = &quot;FilterName&quot;
    save(0).Value = &quot;writer_pdf_Export&quot;
    doc.storeToURL(ConvertToURL(target), save())
    doc.close(True)
End Sub
</script:module>
"""
_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <include ignore_missing="yes">{aliases}</include>
</fontconfig>
"""


class ConversionFailed(Exception):
    """LibreOffice ran but wrote no PDF; the message says what it printed."""


def find_office() -> str | None:
    """The LibreOffice program on PATH (soffice or libreoffice), or None."""
    for name in _OFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class _Profile:
    """A private LibreOffice user profile with specgen's Basic library, one per process."""

    directory: Path
    environment: dict[str, str]
    pid: int  # two LibreOffice instances must never share a profile: a forked worker makes its own


_PROFILE: _Profile | None = None
_PROFILES_ROOT: list[Path] = []  # where this build's processes keep their profiles


@contextlib.contextmanager
def office_profiles() -> Iterator[None]:
    """Keep the LibreOffice profiles of this process and of the workers it forks in one
    temporary directory, removed when the block ends (workers end without running atexit)."""
    root = Path(tempfile.mkdtemp(prefix="specgen-office-"))
    _PROFILES_ROOT.append(root)
    try:
        yield
    finally:
        _PROFILES_ROOT.remove(root)
        shutil.rmtree(root, ignore_errors=True)


def docx_to_pdf(docx: bytes, *, date: str, office: str | None = None) -> bytes:
    """The PDF of a .docx, its indexes updated; `date` (YYYY-MM-DD) becomes its creation date."""
    program = office or find_office()
    if program is None:
        raise ConversionFailed("LibreOffice (soffice) is not on PATH")
    profile = _profile(program)
    with tempfile.TemporaryDirectory(prefix="specgen-pdf-") as work:
        source, target = Path(work) / "document.docx", Path(work) / "document.pdf"
        source.write_bytes(docx)
        _run(program, profile, f"macro:///Standard.Specgen.ExportPdf({_quoted(source)},"
             f"{_quoted(target)})")  # fmt: skip
        if not target.is_file():
            raise ConversionFailed("LibreOffice finished without writing the PDF")
        return fixed_pdf(target.read_bytes(), date)


def _quoted(path: Path) -> str:
    return '"' + str(path).replace('"', '""') + '"'


def _run(program: str, profile: _Profile, *arguments: str) -> None:
    command = [
        program, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
        f"-env:UserInstallation={profile.directory.as_uri()}", *arguments,
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command,
            env=profile.environment,
            capture_output=True,
            timeout=_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
            preexec_fn=die_with_parent,
        )
    except subprocess.TimeoutExpired as exc:
        raise ConversionFailed(f"LibreOffice did not finish within {_TIMEOUT} s") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ConversionFailed(f"LibreOffice exited with {done.returncode}: {' '.join(said)}")


def _profile(program: str) -> _Profile:
    """This process's LibreOffice profile: made on first use (LibreOffice's first start writes
    its own Standard library, so specgen's module is added after it), removed at exit."""
    global _PROFILE
    if _PROFILE is not None and _PROFILE.pid == os.getpid() and _PROFILE.directory.is_dir():
        return _PROFILE
    if _PROFILES_ROOT:
        directory = Path(tempfile.mkdtemp(prefix="profile-", dir=_PROFILES_ROOT[-1]))
    else:
        directory = Path(tempfile.mkdtemp(prefix="specgen-office-"))
        atexit.register(shutil.rmtree, directory, True)
    aliases = resources.files("specgen.data").joinpath("fonts.conf")
    fonts = directory / "fonts.conf"
    fonts.write_text(_FONTCONFIG.format(aliases=aliases), encoding="utf-8")
    environment = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    profile = _Profile(directory / "profile", environment, os.getpid())
    _run(program, profile, "--terminate_after_init")
    basic = profile.directory / "user" / "basic" / "Standard"
    basic.mkdir(parents=True, exist_ok=True)
    (basic / "Specgen.xba").write_text(_MODULE, encoding="utf-8")
    library = basic / "script.xlb"
    text = library.read_text(encoding="utf-8") if library.is_file() else _EMPTY_LIBRARY
    library.write_text(_with_module(text), encoding="utf-8")
    _PROFILE = profile
    return profile


def _with_module(library: str) -> str:
    """A Basic library index (script.xlb) that lists the module Specgen."""
    if 'library:name="Specgen"' in library:
        return library
    element = ' <library:element library:name="Specgen"/>\n'
    if "</library:library>" in library:
        return library.replace("</library:library>", element + "</library:library>")
    return re.sub(r"(<library:library\b[^>]*?)\s*/>", r"\1>\n" + element + "</library:library>",
                  library, count=1)  # fmt: skip


_EMPTY_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" \
library:readonly="false" library:passwordprotected="false">
</library:library>
"""

_CREATED = re.compile(rb"/CreationDate\(D:\d{14}")
_ID = re.compile(rb"/ID \[ <([0-9A-F]{32})>\s*<([0-9A-F]{32})> \]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-F]{32})")


def fixed_pdf(pdf: bytes, date: str) -> bytes:
    """`pdf` with its creation time set to `date` and its ID and checksum derived from its
    content, each rewritten at its own length so every offset of the file stays valid."""
    day = re.sub(r"\D", "", date)[:8].ljust(8, "0")
    pdf = _CREATED.sub(b"/CreationDate(D:" + day.encode() + b"000000", pdf)
    blank = _CHECKSUM.sub(b"/DocChecksum /" + b"0" * 32, _ID.sub(b"/ID [ <" + b"0" * 32 + b"> <"
                          + b"0" * 32 + b"> ]", pdf))  # fmt: skip
    digest = hashlib.sha256(blank).hexdigest().upper().encode()[:32]
    pdf = _ID.sub(lambda m: m.group(0).replace(m.group(1), digest).replace(m.group(2), digest), pdf)
    return _CHECKSUM.sub(b"/DocChecksum /" + digest, pdf)
