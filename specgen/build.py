"""The pipeline — load → validate → merge → render → write — and the only writer of outputs.

Everything is rendered in memory first; the files are then written to a temporary directory
beside the output directory and moved into place only when all of them succeeded, so a failed
build leaves the previous output untouched. Nothing here reads a clock: the same inputs give
the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from pathlib import Path

from specgen import __version__
from specgen import messages as m
from specgen.collector import collector_paused
from specgen.errors import Diagnostic, InvalidInput, Location, UsageError
from specgen.joint import JointSpec, build_joint
from specgen.merge import Effective
from specgen.model import Project
from specgen.project import PROJECT_FILE
from specgen.render import documents, spec_json
from specgen.render.docx import reference_problem
from specgen.render.limits import LimitExceeded, RenderLimits, within_limits
from specgen.render.markdown import TemplateSet
from specgen.validate import Validation, validate_project
from specgen.writer import Output, OutputError, output_problems, previous_outputs, write_outputs

__all__ = [
    "RENDERERS",
    "BuildPlan",
    "BuildResult",
    "OutputError",
    "build_project",
    "plan_build",
    "render_outputs",
    "write_outputs",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildPlan:
    """What a build renders: the validated project, its joint model, and the chosen outputs."""

    root: Path
    out: Path
    project: Project
    joint: JointSpec
    effective: tuple[Effective, ...]
    formats: tuple[str, ...]
    municipalities: tuple[str, ...]
    templates: TemplateSet
    input_digests: Mapping[str, str] = field(default_factory=dict)
    template_digest: str = ""

    def selected(self) -> Iterator[Effective]:
        """The participants whose own documents are built."""
        for result in self.effective:
            if result.municipality.code in self.municipalities:
                yield result

    def effective_of(self, code: str) -> Effective:
        return next(e for e in self.effective if e.municipality.code == code)

    def documents(self) -> list[Document]:
        return [Document("joint")] + [
            Document(f"municipalities/{e.municipality.code}", e.municipality.code)
            for e in self.selected()
        ]

    def document_digest(self, doc: Document) -> str:
        """What a document's bytes depend on: specgen, templates, the baseline, and its deltas.

        A municipality's own spec depends on its own file only; the joint spec on all of them.
        """
        shared = [self.template_digest, __version__, ",".join(self.formats)]
        own = {m.code: m.file for m in (e.municipality for e in self.effective)}
        delta_files = set(own.values())
        for relpath, sha in self.input_digests.items():
            if relpath not in delta_files or doc.code is None or own.get(doc.code) == relpath:
                shared.append(f"{relpath}={sha}")
        return digest("\n".join(shared).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class BuildResult:
    out: Path
    files: Mapping[str, str]  # relpath → sha256
    validation: Validation


@dataclass(frozen=True, slots=True)
class Document:
    """One document of the output: the joint spec, or one municipality's own spec."""

    stem: str  # "joint" or "municipalities/<code>"
    code: str | None = None


# A format renders one document to bytes; `markdown` gives the document's Markdown (rendered
# at most once per document, shared by the formats that need it).
FormatRenderer = Callable[["BuildPlan", Document, Callable[[], str]], bytes]


def _render_json(plan: BuildPlan, doc: Document, markdown: Callable[[], str]) -> bytes:
    if doc.code is None:
        return spec_json.dumps(spec_json.joint_document(plan.joint))
    return spec_json.dumps(spec_json.effective_document(plan.effective_of(doc.code), plan.project))


def _render_markdown(plan: BuildPlan, doc: Document, markdown: Callable[[], str]) -> bytes:
    return markdown().encode("utf-8")


def _render_docx(plan: BuildPlan, doc: Document, markdown: Callable[[], str]) -> bytes:
    reference = plan.templates.reference_docx()
    return documents.docx_bytes([markdown()], plan.project, doc.stem, reference)


# Output formats in the order they are rendered, with the file each writes per document;
# later issues add their renderer here.
RENDERERS: dict[str, tuple[str, FormatRenderer]] = {
    "markdown": ("spec.md", _render_markdown),
    "docx": ("spec.docx", _render_docx),
    "json": ("spec.json", _render_json),
}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan_build(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
) -> tuple[BuildPlan, Validation]:
    """Validate, check the output directory and merge; raise InvalidInput (with every
    diagnostic) when anything is wrong, before anything is rendered or written."""
    validation = validate_project(root, strict=strict)
    project = validation.input.project
    target = out
    refused: list[Diagnostic] = []
    if project is not None and validation.ok:
        if target is None:
            target = root / project.output
        site = project.output_location if out is None else Location("--out")
        refused = output_problems(target, _inputs(root, project, validation), site)
    if not validation.ok or project is None or target is None or refused:
        raise InvalidInput([*validation.diagnostics, *refused])
    codes = [m.code for m in validation.input.municipalities]
    unknown = [c for c in municipalities if c not in codes]
    if unknown:
        raise UsageError(
            f"--municipality {', '.join(unknown)}: not a participant (known: {', '.join(codes)})"
        )
    chosen = tuple(formats) or project.formats
    missing = [f for f in chosen if f not in RENDERERS]
    if missing:
        where = "--format" if formats else "formats in specgen.yaml"
        raise OutputError(
            f"{where} asks for {', '.join(missing)}, which this version of specgen cannot write "
            f"yet (available: {', '.join(RENDERERS)})"
        )
    limits = RenderLimits(seconds=project.render_seconds, max_chars=project.render_mib << 20)
    templates = TemplateSet(root / project.templates, limits)
    reference = templates.reference_docx() if "docx" in chosen else None
    if reference is not None and (problem := reference_problem(reference)) is not None:
        where = (Path(project.templates) / "reference.docx").as_posix()
        refused = [m.REFERENCE_DOCX.at(Location(where), file=where, problem=problem)]
        raise InvalidInput([*validation.diagnostics, *refused])
    with collector_paused():  # a full collection here would walk the whole model for nothing
        joint = build_joint(project, validation.input.catalog, validation.effective)
    digests = {relpath: digest((root / relpath).read_bytes()) for relpath in validation.input.files}
    plan = BuildPlan(
        root=root,
        out=target,
        project=project,
        joint=joint,
        effective=tuple(sorted(validation.effective, key=lambda e: e.municipality.code)),
        formats=tuple(f for f in RENDERERS if f in chosen),
        templates=templates,
        municipalities=tuple(municipalities) or tuple(sorted(codes)),
        input_digests=dict(sorted(digests.items())),
        template_digest=templates.digest(),
    )
    return plan, validation


def _inputs(root: Path, project: Project, validation: Validation) -> list[Path]:
    """Every path the project reads: the output may be none of them, hold none, lie in none."""
    named = [PROJECT_FILE, *project.catalog, project.municipalities, project.templates]
    return [root / name for name in (*named, *validation.input.files)]


def render_document(
    plan: BuildPlan, doc: Document, formats: Sequence[str] | None = None
) -> dict[str, bytes]:
    """Every chosen format (or those of `formats`) of one document, its Markdown rendered at
    most once."""
    cache: list[str] = []

    def markdown() -> str:
        if not cache:
            effective = plan.effective_of(doc.code) if doc.code is not None else None
            cache.append(documents.markdown_of(plan.joint, effective, plan.templates))
        return cache[0]

    files: dict[str, bytes] = {}
    with collector_paused(), _limited(plan, doc.stem):
        for name in plan.formats if formats is None else formats:
            filename, renderer = RENDERERS[name]
            files[f"{doc.stem}/{filename}"] = renderer(plan, doc, markdown)
    return files


@contextlib.contextmanager
def _limited(plan: BuildPlan, stem: str) -> Iterator[None]:
    """Render one document within the plan's limits; past one outside any template (in the
    Word writer, say) it is still E-TEMPLATE, naming the document."""
    limits = plan.templates.limits
    try:
        with within_limits(limits):
            yield
    except (LimitExceeded, MemoryError) as exc:
        where = plan.templates.source_of("joint.md.j2" if stem == "joint" else "municipality.md.j2")
        if isinstance(exc, MemoryError):
            problem = m.DOCUMENT_OUT_OF_MEMORY.at(Location(where), stem=stem)
        else:
            problem = m.DOCUMENT_TOO_SLOW.at(Location(where), stem=stem, seconds=limits.seconds)
        raise InvalidInput([problem]) from exc


def render_outputs(
    plan: BuildPlan,
    previous: Path | None = None,
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, Output], list[str]]:
    """Every output file of the plan plus manifest.json, and the stems actually rendered.

    `previous` (by default the plan's output directory) is the last build's output. A document
    whose inputs have the digest recorded in its manifest.json, and whose files there still
    have their recorded sha256, is reused instead of rendered. A partial build (some formats or
    municipalities) keeps the previous files it does not render, as long as their document is
    still part of the project. Documents are rendered in parallel processes when there are
    several and more than one core.
    """
    previous = plan.out if previous is None else previous
    reused, stale = _reusable(plan, previous)
    files: dict[str, Output] = {name: path for name, (path, _) in reused.items()}
    shas = {name: sha for name, (_, sha) in reused.items()}
    for rendered in render_in_parallel(plan, stale, jobs=jobs, progress=progress):
        files.update(rendered)
        shas.update((name, digest(data)) for name, data in rendered.items())
    documents_digests = {doc.stem: plan.document_digest(doc) for doc in plan.documents()}
    kept = _kept(plan, previous, set(files))
    for name, (path, sha) in kept.items():
        files[name], shas[name] = path, sha
    for stem, recorded in _recorded_documents(previous).items():
        if stem not in documents_digests and any(n.startswith(f"{stem}/") for n in kept):
            documents_digests[stem] = recorded
    manifest = {
        "specgen": 1,
        "generator": f"specgen {__version__}",
        "project": plan.project.id,
        "version": plan.project.version,
        "formats": list(plan.formats),
        "inputs": dict(plan.input_digests),
        "documents": dict(sorted(documents_digests.items())),
        "outputs": dict(sorted(shas.items())),
        "kept": sorted(kept),
    }
    files["manifest.json"] = spec_json.dumps(manifest)
    return files, [doc.stem for doc in stale]


def _kept(plan: BuildPlan, previous: Path, made: set[str]) -> dict[str, tuple[Path, str]]:
    """Files of the previous output this build does not make, whose document still exists."""
    outputs = previous_outputs(previous)
    if not outputs:
        return {}
    stems = {"joint", *(f"municipalities/{e.municipality.code}" for e in plan.effective)}
    kept: dict[str, tuple[Path, str]] = {}
    for name in sorted(outputs):
        path = previous / name
        if name in made or name.rpartition("/")[0] not in stems or not path.is_file():
            continue
        with path.open("rb") as stream:
            kept[name] = (path, hashlib.file_digest(stream, "sha256").hexdigest())
    return kept


def _recorded_documents(previous: Path) -> Mapping[str, str]:
    try:
        recorded = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
        documents = recorded.get("documents", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return documents if isinstance(documents, dict) else {}


def _reusable(
    plan: BuildPlan, previous: Path | None
) -> tuple[dict[str, tuple[Path, str]], list[Document]]:
    docs = plan.documents()
    if previous is None or not (previous / "manifest.json").is_file():
        return {}, docs
    try:
        manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
        recorded: Mapping[str, str] = manifest.get("documents", {})
        outputs: Mapping[str, str] = manifest.get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return {}, docs  # an unreadable manifest only costs a full build
    reused: dict[str, tuple[Path, str]] = {}
    stale: list[Document] = []
    for doc in docs:
        names = [f"{doc.stem}/{RENDERERS[f][0]}" for f in plan.formats]
        kept = _read_unchanged(previous, names, outputs)
        if recorded.get(doc.stem) == plan.document_digest(doc) and kept is not None:
            reused.update(kept)
        else:
            stale.append(doc)
    return reused, stale


def _read_unchanged(
    previous: Path, names: Sequence[str], outputs: Mapping[str, str]
) -> dict[str, tuple[Path, str]] | None:
    """The files `names` of the previous output with their sha256, if none was edited since."""
    found: dict[str, tuple[Path, str]] = {}
    for name in names:
        path = previous / name
        if name not in outputs or not path.is_file():
            return None
        with path.open("rb") as stream:
            sha = hashlib.file_digest(stream, "sha256").hexdigest()
        if sha != outputs[name]:
            return None  # edited by hand: render it again
        found[name] = (path, sha)
    return found


# What forked workers inherit instead of unpickling: the plan, and the queue that carries the
# joint spec's Markdown from the main process to the worker writing its Word file.
_WORKER_PLAN: BuildPlan | None = None
_WORKER_STREAM: Queue[str | bool | None] | None = None
_STREAMED = ("markdown", "docx")  # the joint spec's formats made from the stream
_PR_SET_PDEATHSIG = 1


class _Abandoned(Exception):
    """The main process stopped rendering the joint spec's Markdown; it reports why."""


def _worker_started(parent: int) -> None:
    """Set up a worker: Ctrl-C is the main process's to handle, and it dies with the main."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):  # Linux only; elsewhere best effort
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the main process died before the request took effect
        os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now: an interrupted or failed build must not wait for them."""
    processes: Mapping[int, multiprocessing.Process] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError):
            process.kill()


def _render_in_worker(doc: Document, formats: Sequence[str]) -> dict[str, bytes]:
    assert _WORKER_PLAN is not None
    return render_document(_WORKER_PLAN, doc, formats)


def _joint_docx_in_worker(stem: str) -> dict[str, bytes]:
    """The joint spec's Word file, written as its Markdown arrives from the main process."""
    plan, stream = _WORKER_PLAN, _WORKER_STREAM
    assert plan is not None and stream is not None

    def pieces() -> Iterator[str]:
        while (piece := stream.get()) is not None:
            if piece is False:
                raise _Abandoned
            assert isinstance(piece, str)
            yield piece

    with collector_paused(), _limited(plan, stem):
        data = documents.docx_bytes(pieces(), plan.project, stem, plan.templates.reference_docx())
    return {f"{stem}/{RENDERERS['docx'][0]}": data}


def _joint_markdown_to(stream: Queue[str | bool | None], plan: BuildPlan, stem: str) -> str:
    """Render the joint spec's Markdown, sending each piece to `stream` as it is made."""
    pieces: list[str] = []
    try:
        with collector_paused(), _limited(plan, stem):
            for piece in documents.markdown_pieces(plan.joint, None, plan.templates):
                pieces.append(piece)
                stream.put(piece)
    except BaseException:
        stream.put(False)
        raise
    stream.put(None)
    return "".join(pieces)


def _cancel(futures: Iterable[Future[dict[str, bytes]]]) -> None:
    """Cancel the futures not yet started; those running finish."""
    for future in futures:
        future.cancel()


def render_in_parallel(
    plan: BuildPlan,
    docs: Sequence[Document],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, bytes]]:
    """Render `docs`, in forked worker processes when that can help; results in `docs` order.

    With Word among the formats, the joint spec — the largest document, which alone decides
    how long a rebuild after one municipality's edit takes — is split in two: this process
    renders its Markdown and streams it to a worker that writes the Word file meanwhile.
    `progress` hears the stem of each document as it is finished.
    """
    report = progress or (lambda stem: None)
    cores = jobs if jobs is not None else (os.cpu_count() or 1)
    joint = next((d for d in docs if d.code is None), None) if "docx" in plan.formats else None
    if (
        cores <= 1
        or "fork" not in multiprocessing.get_all_start_methods()
        or (len(docs) <= 1 and joint is None)
    ):
        results = []
        for doc in docs:
            results.append(render_document(plan, doc))
            report(doc.stem)
        return results
    tasks = [
        (doc, tuple(f for f in plan.formats if doc is not joint or f not in _STREAMED))
        for doc in docs
    ]
    tasks = [(doc, formats) for doc, formats in tasks if formats]
    files: dict[str, dict[str, bytes]] = {doc.stem: {} for doc in docs}
    parts = {doc.stem: sum(1 for d, _ in tasks if d is doc) for doc in docs}
    context = multiprocessing.get_context("fork")
    stream: Queue[str | bool | None] | None = context.Queue() if joint is not None else None
    global _WORKER_PLAN, _WORKER_STREAM
    _WORKER_PLAN, _WORKER_STREAM = plan, stream
    workers = min(cores, len(tasks) + (joint is not None))
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_started,
            initargs=(os.getpid(),),
        ) as pool:
            futures: dict[Future[dict[str, bytes]], Document] = {}
            try:
                if joint is not None and stream is not None:
                    futures[pool.submit(_joint_docx_in_worker, joint.stem)] = joint
                    parts[joint.stem] += 1
                for doc, formats in tasks:
                    futures[pool.submit(_render_in_worker, doc, formats)] = doc
                if joint is not None and stream is not None:
                    markdown = _joint_markdown_to(stream, plan, joint.stem)
                    if "markdown" in plan.formats:
                        name = f"{joint.stem}/{RENDERERS['markdown'][0]}"
                        files[joint.stem][name] = markdown.encode("utf-8")
                for future in as_completed(futures):
                    if future.cancelled():
                        continue
                    if future.exception() is not None:
                        _cancel(futures)  # the build fails: render nothing more
                        continue
                    stem = futures[future].stem
                    parts[stem] -= 1
                    if parts[stem] == 0:
                        report(stem)
            except BaseException:
                _cancel(futures)
                _stop_workers(pool)
                raise
            for future, doc in futures.items():  # the first failure in `docs` order is raised
                if not future.cancelled():
                    files[doc.stem].update(future.result())
    finally:
        _WORKER_PLAN, _WORKER_STREAM = None, None
        if stream is not None:
            stream.cancel_join_thread()  # a worker that failed leaves pieces nobody reads
            stream.close()
    return [files[doc.stem] for doc in docs]


def build_project(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
) -> BuildResult:
    """Validate, merge, render and write; the output directory defaults to the project's."""
    plan, validation = plan_build(
        root, out=out, formats=formats, municipalities=municipalities, strict=strict
    )
    files, _ = render_outputs(plan)
    write_outputs(plan.out, files)
    manifest = files["manifest.json"]
    assert isinstance(manifest, bytes)  # written by this build, never reused
    return BuildResult(plan.out, json.loads(manifest)["outputs"], validation)
