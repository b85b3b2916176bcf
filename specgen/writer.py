"""The only writer of outputs: it owns the output directory it wrote, and nothing else.

A build's files are written to a staging directory beside the output directory and swapped in
as a whole, so readers see the previous output or the new one, never a mix. Before any work,
`output_problems` refuses a target that is not specgen's own (a folder of other files, the
project itself, one of its inputs). The staging and retired directories have fixed names, so a
build that was killed halfway is found by the next one and completed or rolled back
(`recover`); a lock on the parent directory keeps two builds from swapping at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from specgen import messages as m
from specgen.errors import Diagnostic, Location, SpecgenError

__all__ = [
    "MANIFEST",
    "Output",
    "OutputError",
    "output_problems",
    "previous_outputs",
    "recover",
    "store_cache_entry",
    "touch_cache_entry",
    "write_outputs",
]

MANIFEST = "manifest.json"
STAGING_MARKER = ".specgen-staging"  # in a staging directory until its manifest is written

# An output file's content, or the unchanged file of the previous build that holds it.
Output = bytes | Path

# Names the writers before this one gave their staging and retired directories (mkdtemp).
_LEGACY = re.compile(r"^\.(?P<name>.+)-(?P<kind>new|old)-[a-z0-9_]{8}$")


class OutputError(SpecgenError):
    """The output directory cannot be written."""


def staging_dir(out: Path) -> Path:
    """Where a build's files are written before they replace `out`."""
    return out.parent / f".{out.name}.specgen-new"


def retired_dir(out: Path) -> Path:
    """Where the previous output waits while the new one takes its place (no-exchange path)."""
    return out.parent / f".{out.name}.specgen-old"


def previous_outputs(out: Path) -> Mapping[str, str] | None:
    """`outputs` (relpath → sha256) of the specgen manifest in `out`, or None if there is none."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("specgen") != 1:
        return None
    generator, outputs = manifest.get("generator"), manifest.get("outputs")
    if not (isinstance(generator, str) and generator.startswith("specgen ")):
        return None
    if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
        return None
    return outputs


def output_problems(
    out: Path, inputs: Iterable[Path], where: Location, *, cwd: Path | None = None
) -> list[Diagnostic]:
    """Why specgen must not replace `out`, as E-IO diagnostics at `where` (none: it may).

    specgen replaces an output directory as a whole, so it only takes one that is absent,
    empty, or its own earlier output (a specgen manifest.json listing every file in it), and
    never one that is, holds or lies inside an input of the project.
    """
    shown = str(out)
    try:
        return _problems(out, shown, list(inputs), where, cwd)
    except (OSError, RuntimeError) as exc:  # a link that loops, a name too long for the system
        reason = "a symbolic link loops" if isinstance(exc, RuntimeError) else exc.strerror
        return [m.OUTPUT_UNUSABLE.at(where, out=shown, reason=reason or exc)]


def _problems(
    out: Path, shown: str, inputs: list[Path], where: Location, cwd: Path | None
) -> list[Diagnostic]:
    target = out.resolve()
    for ancestor in (target, *target.parents):
        if ancestor.exists() and not ancestor.is_dir():
            return [m.OUTPUT_UNDER_FILE.at(where, out=shown, file=ancestor)]
    sources = [path.resolve() for path in inputs]
    try:
        here: Path | None = (cwd or Path.cwd()).resolve()
    except OSError:  # the working directory was deleted: nothing can be inside it
        here = None
    # The staging and retired directories beside the output are created and removed too.
    for place in (target, staging_dir(target), retired_dir(target)):
        for path, source in zip(inputs, sources, strict=True):
            if source == place or place in source.parents or source in place.parents:
                return [m.OUTPUT_REPLACES_INPUT.at(where, out=shown, input=path)]
        if here is not None and (place == here or place in here.parents):
            return [m.OUTPUT_HOLDS_CWD.at(where, out=shown)]
    if not target.is_dir():
        return []
    outputs = previous_outputs(target)
    if outputs is None:
        present = sorted(p.name for p in target.iterdir())
        if not present:
            return []
        return [m.OUTPUT_NOT_OURS.at(where, out=shown, files=_some(present))]
    foreign = [n for n in sorted(_files_under(target)) if n != MANIFEST and n not in outputs]
    if foreign:
        return [m.OUTPUT_UNLISTED.at(where, out=shown, files=_some(foreign))]
    return []


def _files_under(directory: Path) -> Iterator[str]:
    for path in directory.rglob("*"):
        if path.is_symlink() or not path.is_dir():
            yield path.relative_to(directory).as_posix()


def _some(names: Sequence[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on `parent` (the output's directory) for the block."""
    try:
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"cannot open the directory {parent}: {exc.strerror}") from exc
    try:
        with contextlib.suppress(OSError):  # a file system without locks: go on without one
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(out: Path) -> None:
    """Finish or undo a swap that a killed build left halfway, and remove stale staging.

    Safe to call at any time: it only acts on the directories this module names.
    """
    out = out.resolve()
    if not out.parent.is_dir():
        return
    with _locked(out.parent):
        _recover(out)


def _ours(directory: Path) -> bool:
    """A directory this module made: a staging directory (its marker, or its manifest once
    complete) or a previous output (its specgen manifest). Nothing else is ever removed."""
    return directory.is_dir() and (
        (directory / STAGING_MARKER).is_file() or previous_outputs(directory) is not None
    )


def _legacy_ours(sibling: Path, name: str) -> bool:
    """A staging or retired directory of the writer before this one (mkdtemp names)."""
    match = _LEGACY.match(sibling.name)
    if not match or match["name"] != name or not sibling.is_dir() or sibling.is_symlink():
        return False
    if match["kind"] == "old":  # it held the previous output, under the output's own name
        return [p.name for p in sibling.iterdir()] == [name] and _ours(sibling / name)
    return {p.name for p in sibling.iterdir()} <= {"joint", "municipalities", MANIFEST}


def _recover(out: Path) -> None:
    staging, retired = staging_dir(out), retired_dir(out)
    if _ours(retired) and not out.exists():
        # Killed between the two renames: the staging directory was complete, so finish.
        os.replace(staging if _ours(staging) else retired, out)
    legacy = [s for s in sorted(out.parent.iterdir()) if _legacy_ours(s, out.name)]
    for sibling in legacy:
        if sibling.name.startswith(f".{out.name}-old-") and not out.exists():
            os.replace(sibling / out.name, out)  # the previous output an old writer stranded
        shutil.rmtree(sibling, ignore_errors=True)
    for leftover in (staging, retired):
        if _ours(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def write_outputs(out: Path, files: Mapping[str, Output], *, stats: Path | None = None) -> None:
    """Write `files` under `out` atomically: all of them replace the old output, or none do.

    A file given as a Path (an unchanged output of the previous build) is linked, not copied.
    The caller has checked `out` with `output_problems`. manifest.json is written last, so a
    staging directory that holds one is complete.
    """
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output directory {out}: {exc.strerror}") from exc
    with _locked(out.parent):
        staging = staging_dir(out)
        try:
            _recover(out)
            staging.mkdir()  # mode 0777 less the umask, like any directory the user makes
            (staging / STAGING_MARKER).touch()  # ours, even before its manifest is written
            names = sorted(files, key=lambda name: (name == MANIFEST, name))
            for relpath in names:
                target = staging / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                data = files[relpath]
                if isinstance(data, bytes):
                    target.write_bytes(data)
                else:
                    _link_or_copy(data, target)
            (staging / STAGING_MARKER).unlink()  # complete: its manifest says it is ours
            if unlisted := _not_ours_now(out):
                raise OutputError(
                    f"files appeared in the output directory {out} during the build "
                    f"({_some(unlisted)}); nothing was replaced"
                )
            _swap(staging, out)
            if stats is not None:
                _record_stats(out, files[MANIFEST], stats)
        except OutputError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot write the output to {out}: {exc.strerror or exc}") from exc
        except BaseException:  # interrupted: leave the previous output as it was
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _record_stats(out: Path, manifest: Output, stats: Path) -> None:
    """Remember each output's size, time and inode beside its sha256 (best effort)."""
    try:
        data = manifest if isinstance(manifest, bytes) else manifest.read_bytes()
        outputs: dict[str, str] = json.loads(data)["outputs"]
        record = {}
        for name, sha in outputs.items():
            info = (out / name).stat()
            record[name] = [info.st_size, info.st_mtime_ns, info.st_ino, sha]
        store_cache_entry(stats.parent, stats.stem, json.dumps(record, sort_keys=True).encode())
    except (OSError, ValueError, KeyError, TypeError):
        pass


def _not_ours_now(out: Path) -> list[str]:
    """Files in `out` that its manifest does not list, checked again just before the swap."""
    if not out.is_dir():
        return []
    outputs = previous_outputs(out)
    present = sorted(_files_under(out))
    if outputs is None:
        return present
    return [n for n in present if n != MANIFEST and n not in outputs]


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in the place of `out`, atomically where the system can exchange paths."""
    if not out.exists():
        os.replace(staging, out)
    elif _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous output
    else:
        retired = retired_dir(out)
        os.replace(out, retired)
        os.replace(staging, out)  # a kill before this line is finished by `recover`
        shutil.rmtree(retired, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes.append(ctypes.c_uint)
    if renameat2(_AT_FDCWD, bytes(first), _AT_FDCWD, bytes(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without the exchange
    raise OSError(code, os.strerror(code), str(second))


_ENTRY = re.compile(r"[0-9a-f]{64}\.(?:json|bin)")  # only entries are ever evicted
_CACHE_ENTRIES = 4000  # past this many, the older half of the parse cache is removed


def store_cache_entry(
    directory: Path, key: str, blob: bytes, *, limit: int | None = None, suffix: str = ".json"
) -> None:
    """Write one cache entry atomically; past `limit` entries the older half (by time last
    written or used) is removed. A cache that cannot be written is no error."""
    target = directory / f"{key}{suffix}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{key}.{os.getpid()}.tmp"
        temporary.write_bytes(blob)
        os.replace(temporary, target)
        entries = [p for p in directory.glob(f"*{suffix}") if _ENTRY.fullmatch(p.name)]
        if len(entries) > (_CACHE_ENTRIES if limit is None else limit):
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) // 2]:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def touch_cache_entry(directory: Path, key: str, suffix: str = ".json") -> None:
    """Mark an entry as just used, so that it is the last to be removed."""
    with contextlib.suppress(OSError):
        os.utime(directory / f"{key}{suffix}")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not supported: copy instead
        shutil.copyfile(source, target)


def write_report(target: Path, data: bytes, *, replaceable: Callable[[bytes], bool]) -> None:
    """Write one report file atomically (a temporary file renamed over the target). An
    existing file is replaced only when `replaceable` recognises it as an earlier report:
    a file specgen did not write is never touched."""
    if target.is_dir():
        raise OutputError(f"--out {target} is a directory; give the path of a file")
    if target.exists():
        try:
            ours = replaceable(target.read_bytes())
        except OSError as exc:
            raise OutputError(f"cannot read {target}: {exc.strerror}") from exc
        if not ours:
            raise OutputError(
                f"{target} exists and is not a report specgen wrote; nothing was written "
                "(choose another --out, or remove the file)"
            )
    temporary = target.with_name(f".{target.name}.specgen-new")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_files(root: Path, files: Mapping[str, str]) -> None:
    """Write new files under `root` (UTF-8), each whole or not at all, never over an
    existing file: `specgen init` only ever adds."""
    taken = [relpath for relpath in files if (root / relpath).exists()]
    if taken:
        raise OutputError(f"{', '.join(taken)} already exist(s) in {root}; nothing was written")
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.specgen-new")
        temporary.write_text(text, encoding="utf-8")
        try:
            os.link(temporary, target)  # fails, rather than replaces, if the file appeared
        finally:
            temporary.unlink()
