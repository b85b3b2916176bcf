"""The only writer of outputs: it owns the output directory it wrote, and nothing else.

A build's files are written to a staging directory beside the output directory and swapped in
as a whole, so readers see the previous output or the new one, never a mix. Before any work,
`output_problems` refuses a target that is not specgen's own (a folder of other files, the
project itself, one of its inputs). Every staging directory and temporary file is created
exclusively (never over an existing name, never through a link) under a name with a random
part, and carries specgen's mark; a build that was killed halfway is found by the next one
through that mark and completed or rolled back (`recover`), and nothing without it is ever
removed. A lock on the parent directory keeps two builds from swapping at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
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
    "report_problems",
    "store_cache_entry",
    "temporary_beside",
    "touch_cache_entry",
    "write_new_tree",
    "write_outputs",
    "write_report",
]

MANIFEST = "manifest.json"
# An output file's content, or the unchanged file of the previous build that holds it.
Output = bytes | Path

# A staging directory is ".<out>.specgen-new-<token>"; the previous output waits in
# ".<out>.specgen-old-<token>/<out>" while the new one takes its place. Each holds its mark.
STAGING_MARKER = ".specgen-staging"  # in a staging directory until its manifest is written
RETIRED_MARKER = ".specgen-retired"  # in the directory that holds a previous output
_TOKEN = re.compile(r"[0-9a-f]{16}")
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class OutputError(SpecgenError):
    """The output directory cannot be written."""


def _sibling(out: Path, kind: str, token: str) -> Path:
    return out.parent / f".{out.name}.specgen-{kind}-{token}"


def _siblings(out: Path, kind: str) -> dict[str, Path]:
    """The directories beside `out` named as this module names its own (token → path);
    whether each is specgen's is decided by its mark, not by its name."""
    prefix = f".{out.name}.specgen-{kind}-"
    found: dict[str, Path] = {}
    for path in out.parent.iterdir():
        token = path.name[len(prefix) :]
        if path.name.startswith(prefix) and _TOKEN.fullmatch(token) and not path.is_symlink():
            found[token] = path
    return found


def _make_directory(out: Path, kind: str, marker: str, token: str | None = None) -> Path:
    """A new directory beside `out`, made by this call (never one that was there) and marked
    as specgen's; a name already taken, by anything or any link, is never used."""
    for _ in range(100):
        path = _sibling(out, kind, token or secrets.token_hex(8))
        try:
            path.mkdir()  # mode 0777 less the umask, like any directory the user makes
        except FileExistsError:
            if token is not None:
                raise
            continue
        _create_exclusive(path / marker, b"")
        return path
    raise OutputError(f"cannot create a staging directory beside {out}")


def _create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file at `path`: never over an existing file, never through a link."""
    fd = os.open(path, _EXCLUSIVE | _CLOEXEC, 0o666)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


def temporary_beside(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `target` (random name, created exclusively),
    to be renamed over it: a file or link of someone else's is never written through."""
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.specgen-{secrets.token_hex(8)}.tmp")
        try:
            _create_exclusive(temporary, data)
        except FileExistsError:
            continue
        except BaseException:
            temporary.unlink(missing_ok=True)  # ours: the exclusive open created it
            raise
        return temporary
    raise OSError(errno.EEXIST, "no free temporary name", str(target))


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


def report_problems(target: Path, inputs: Iterable[Path], where: Location) -> list[Diagnostic]:
    """Why specgen must not write the report file `target` (none: it may): the same places
    as an output directory (an input, a folder holding one, the working directory), checked
    before any work; whether an existing file is an earlier report is `write_report`'s."""
    shown = str(target)
    try:
        return _misplaced(target.resolve(), shown, list(inputs), where, None, m.REPORT_ON_INPUT)
    except (OSError, RuntimeError) as exc:
        reason = "a symbolic link loops" if isinstance(exc, RuntimeError) else exc.strerror
        return [m.OUTPUT_UNUSABLE.at(where, out=shown, reason=reason or exc)]


def _misplaced(
    target: Path,
    shown: str,
    inputs: list[Path],
    where: Location,
    cwd: Path | None,
    on_input: m.Message = m.OUTPUT_REPLACES_INPUT,
) -> list[Diagnostic]:
    """The rule every writing command shares: never under a file, never an input of the
    project, a folder holding one or one inside it, never the working directory."""
    for ancestor in target.parents:
        if ancestor.exists() and not ancestor.is_dir():
            return [m.OUTPUT_UNDER_FILE.at(where, out=shown, file=ancestor)]
    sources = [path.resolve() for path in inputs]
    try:
        here: Path | None = (cwd or Path.cwd()).resolve()
    except OSError:  # the working directory was deleted: nothing can be inside it
        here = None
    for path, source in zip(inputs, sources, strict=True):
        if source == target or target in source.parents or source in target.parents:
            return [on_input.at(where, out=shown, input=path)]
    if here is not None and (target == here or target in here.parents):
        return [m.OUTPUT_HOLDS_CWD.at(where, out=shown)]
    return []


def _problems(
    out: Path, shown: str, inputs: list[Path], where: Location, cwd: Path | None
) -> list[Diagnostic]:
    target = out.resolve()
    if target.exists() and not target.is_dir():
        return [m.OUTPUT_UNDER_FILE.at(where, out=shown, file=target)]
    if misplaced := _misplaced(target, shown, inputs, where, cwd):
        return misplaced
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
    """A staging directory this module made: its mark, or its manifest once complete.
    Nothing else is ever removed."""
    return (
        directory.is_dir()
        and not directory.is_symlink()
        and ((directory / STAGING_MARKER).is_file() or previous_outputs(directory) is not None)
    )


def _retired_ours(container: Path, out: Path) -> bool:
    """A directory this module made to hold the previous output while it was replaced."""
    return (
        container.is_dir()
        and not container.is_symlink()
        and (container / RETIRED_MARKER).is_file()
        and {p.name for p in container.iterdir()} <= {RETIRED_MARKER, out.name}
    )


def _recover(out: Path) -> None:
    staged = _siblings(out, "new")
    for token, container in sorted(_siblings(out, "old").items()):
        if not _retired_ours(container, out):
            continue
        previous = container / out.name
        if not out.exists():
            # Killed between the two renames: finish with the complete new output, else
            # put the previous one back.
            new = staged.get(token)
            if new is not None and _ours(new) and not (new / STAGING_MARKER).exists():
                os.replace(new, out)
            elif previous.is_dir():
                os.replace(previous, out)
        shutil.rmtree(container, ignore_errors=True)
    for leftover in _siblings(out, "new").values():
        if _ours(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _parents_made(path: Path, what: str) -> Iterator[None]:
    """Create the missing folders above `path` for the block; when the block fails, remove
    those this call made (each only while empty): a refused write leaves nothing behind."""
    missing = [p for p in reversed(path.parents) if not p.exists()]
    made: list[Path] = []
    try:
        for folder in missing:
            folder.mkdir()
            made.append(folder)
    except FileExistsError:
        pass  # made meanwhile by someone else: theirs, and usable
    except OSError as exc:
        _remove_empty(made)
        raise OutputError(f"cannot create the {what} {path}: {exc.strerror or exc}") from exc
    try:
        yield
    except BaseException:
        _remove_empty(made)
        raise


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_outputs(out: Path, files: Mapping[str, Output], *, stats: Path | None = None) -> None:
    """Write `files` under `out` atomically: all of them replace the old output, or none do.

    A file given as a Path (an unchanged output of the previous build) is linked, not copied.
    The caller has checked `out` with `output_problems`. manifest.json is written last, so a
    staging directory that holds one is complete.
    """
    out = out.resolve()
    with _parents_made(out, "output directory"), _locked(out.parent):
        staging: Path | None = None  # only a directory this call made is ever removed
        try:
            _recover(out)
            staging = _make_directory(out, "new", STAGING_MARKER)
            names = sorted(files, key=lambda name: (name == MANIFEST, name))
            for relpath in names:
                target = staging / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                data = files[relpath]
                if isinstance(data, bytes):
                    _create_exclusive(target, data)
                else:
                    _link_or_copy(data, target)
            (staging / STAGING_MARKER).unlink()  # complete: its manifest says it is ours
            if unlisted := _not_ours_now(out):
                raise OutputError(
                    f"files appeared in the output directory {out} during the build "
                    f"({_some(unlisted)}); nothing was replaced"
                )
            _swap(staging, out)
            staging = None
            if stats is not None:
                _record_stats(out, files[MANIFEST], stats)
        except OutputError:
            _remove_own(staging)
            raise
        except OSError as exc:
            _remove_own(staging)
            raise OutputError(f"cannot write the output to {out}: {exc.strerror or exc}") from exc
        except BaseException:  # interrupted: leave the previous output as it was
            _remove_own(staging)
            raise


def _remove_own(staging: Path | None) -> None:
    """Remove the staging directory this build made, if it made one."""
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


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
        token = staging.name.rsplit("-", 1)[1]  # the pair is found again by its token
        retired = _make_directory(out, "old", RETIRED_MARKER, token)
        os.replace(out, retired / out.name)
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
        os.replace(temporary_beside(target, blob), target)
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
    try:
        # The folder as the system will find it (`a/../b` is `b` even when `a` does not
        # exist); the last name stays itself, so a link there is replaced, never followed.
        if target.name in ("", ".", ".."):
            target = target.resolve()
        else:
            target = target.parent.resolve() / target.name
        mode: int | None = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:  # a name too long, a loop of links
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"--out {target} is a directory; give the path of a file")
    if mode is not None:
        if not stat.S_ISREG(mode):  # a FIFO or a device: never read, never replaced
            raise OutputError(f"--out {target} is not a regular file; nothing was written")
        try:
            ours = replaceable(target.read_bytes())
        except OSError as exc:
            raise OutputError(f"cannot read {target}: {exc.strerror}") from exc
        if not ours:
            raise OutputError(
                f"{target} exists and is not a report specgen wrote; nothing was written "
                "(choose another --out, or remove the file)"
            )
    temporary: Path | None = None  # only a file this call created is ever removed
    try:
        with _parents_made(target, "report"):
            try:
                temporary = temporary_beside(target, data)
                os.replace(temporary, target)  # replaces a link's name, never writes through
            except BaseException:
                if temporary is not None:
                    temporary.unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc


def create_files(root: Path, files: Mapping[str, str]) -> None:
    """Write new files under `root` (UTF-8), each whole or not at all, never over an
    existing file: `specgen init` only ever adds."""
    taken = [relpath for relpath in files if (root / relpath).exists()]
    if taken:
        raise OutputError(f"{', '.join(taken)} already exist(s) in {root}; nothing was written")
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(target, text.encode("utf-8"))
        try:
            os.link(temporary, target)  # fails, rather than replaces, if the file appeared
        finally:
            temporary.unlink()


def write_new_tree(out: Path, files: Mapping[str, str]) -> None:
    """Write `files` (UTF-8) as the new directory `out`, all at once or not at all: they are
    staged beside it and the staging directory takes its name. `out` must be absent or an
    empty directory, which the rename replaces (never a directory holding anything)."""
    out = out.resolve()
    with _parents_made(out, "output directory"), _locked(out.parent):
        staging: Path | None = None
        try:
            staging = _make_directory(out, "new", STAGING_MARKER)
            for relpath, text in sorted(files.items()):
                target = staging / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                _create_exclusive(target, text.encode("utf-8"))
            (staging / STAGING_MARKER).unlink()
            os.rename(staging, out)  # fails if `out` appeared and is not empty
            staging = None
        except OSError as exc:
            _remove_own(staging)
            raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
        except BaseException:
            _remove_own(staging)
            raise
