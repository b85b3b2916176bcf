"""Rendering documents in parallel: forked worker processes, one task per document, and the
joint spec split in two so its Word file is written while its Markdown is still being made.

The joint spec is the largest document and alone decides how long a rebuild after one
municipality's edit takes; so this process renders its Markdown and streams it, piece by
piece, to a worker running the streamed task of each format that can follow a stream (Word).
Workers are forked: they inherit the plan instead of unpickling it, ignore Ctrl-C (this
process handles it and ends them) and die with this process even when it is killed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from multiprocessing.queues import Queue

from specgen.build.formats import FORMATS, formats_of, output_name, render_document, rendering
from specgen.build.plan import BuildPlan, Document
from specgen.forked import can_fork, fork_context, start_pool, stop_workers
from specgen.render import documents

__all__ = ["render_in_parallel"]

# A piece of Markdown; False when the main process abandoned the stream, None at its end.
Piece = str | bool | None


@dataclass(frozen=True, slots=True)
class Task:
    """Formats of one document a worker renders; `streamed`: from the main process's stream."""

    doc: Document
    formats: tuple[str, ...]
    streamed: bool = False


@dataclass(slots=True)
class _Shared:
    """What forked workers inherit: the plan, and one stream per streamed format."""

    plan: BuildPlan | None = None
    streams: dict[str, Queue[Piece]] = field(default_factory=dict)


_SHARED = _Shared()


class _Abandoned(Exception):
    """The main process stopped rendering the streamed Markdown; it reports why."""


def tasks_of(plan: BuildPlan, docs: Sequence[Document]) -> list[Task]:
    """The tasks rendering `docs`: one per document, the joint spec's streamed formats apart,
    and its joint-only files (the response form) in a task of their own, started next: they
    do not need its Markdown, and at 5,000 requirements take as long as a town's spec."""
    streamed = [name for name in plan.formats if FORMATS[name].render_stream is not None]
    tasks: list[Task] = []
    for doc in docs:
        if doc.code is None:
            tasks.extend(Task(doc, (name,), streamed=True) for name in streamed)
            own = tuple(f for f in formats_of(plan, doc) if FORMATS[f].joint_path is not None)
            if own:
                tasks.append(Task(doc, own))
            apart = {*streamed, *own, *(["markdown"] if streamed else [])}
            rest = tuple(f for f in formats_of(plan, doc) if f not in apart)
        else:
            rest = formats_of(plan, doc)
        if rest:
            tasks.append(Task(doc, rest))
    return tasks


def render_in_parallel(
    plan: BuildPlan,
    docs: Sequence[Document],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, bytes]]:
    """Render `docs`, in forked worker processes when that can help; results in `docs` order.

    `progress` hears the stem of each document as it is finished.
    """
    report = progress or (lambda stem: None)
    cores = jobs if jobs is not None else (os.cpu_count() or 1)
    tasks = tasks_of(plan, docs)
    streaming = any(task.streamed for task in tasks)
    if cores <= 1 or not can_fork() or (len(docs) <= 1 and not streaming):
        results = []
        for doc in docs:
            results.append(render_document(plan, doc))
            report(doc.stem)
        return results
    files: dict[str, dict[str, bytes]] = {doc.stem: {} for doc in docs}
    context = fork_context()
    _SHARED.plan = plan
    _SHARED.streams = {t.formats[0]: context.Queue() for t in tasks if t.streamed}
    try:
        pool = start_pool(min(cores, len(tasks)))
        futures = {pool.submit(_run, task): task for task in tasks}
        try:
            joint = next((t.doc for t in tasks if t.streamed), None)
            if joint is not None:
                markdown = _stream_markdown(plan, joint)
                if "markdown" in plan.formats:
                    files[joint.stem][output_name(joint, "markdown")] = markdown
            _await(futures, report)
            for future, task in futures.items():  # the first failure in `docs` order is raised
                if not future.cancelled():
                    files[task.doc.stem].update(future.result())
        except BaseException:
            _cancel(futures)
            stop_workers(pool)
            raise
        pool.shutdown(wait=True)
    finally:
        for stream in _SHARED.streams.values():
            stream.cancel_join_thread()  # a worker that failed leaves pieces nobody reads
            stream.close()
        _SHARED.plan, _SHARED.streams = None, {}
    return [files[doc.stem] for doc in docs]


def _await(futures: Mapping[Future[dict[str, bytes]], Task], report: Callable[[str], None]) -> None:
    """Wait for every task; report each document when its last task is done; on the first
    failure cancel what has not started (the failure is raised by the caller)."""
    parts: dict[str, int] = {}
    for task in futures.values():
        parts[task.doc.stem] = parts.get(task.doc.stem, 0) + 1
    for future in as_completed(futures):
        if future.cancelled():
            continue
        if future.exception() is not None:
            _cancel(futures)
            continue
        stem = futures[future].doc.stem
        parts[stem] -= 1
        if parts[stem] == 0:
            report(stem)


def _stream_markdown(plan: BuildPlan, doc: Document) -> bytes:
    """Render the joint spec's Markdown here, sending each piece to every stream."""
    pieces: list[str] = []
    streams = list(_SHARED.streams.values())
    try:
        with rendering(plan, doc.stem):
            for piece in documents.markdown_pieces(plan.joint, None, plan.templates):
                pieces.append(piece)
                for stream in streams:
                    stream.put(piece)
    except BaseException:
        for stream in streams:
            stream.put(False)
        raise
    for stream in streams:
        stream.put(None)
    return "".join(pieces).encode("utf-8")


def _run(task: Task) -> dict[str, bytes]:
    """A task, in a worker."""
    plan = _SHARED.plan
    assert plan is not None
    if not task.streamed:
        return render_document(plan, task.doc, task.formats)
    name = task.formats[0]
    render_stream = FORMATS[name].render_stream
    assert render_stream is not None
    with rendering(plan, task.doc.stem):
        data = render_stream(plan, task.doc, _pieces(_SHARED.streams[name]))
    return {output_name(task.doc, name): data}


def _pieces(stream: Queue[Piece]) -> Iterator[str]:
    while (piece := stream.get()) is not None:
        if piece is False:
            raise _Abandoned
        assert isinstance(piece, str)
        yield piece


def _cancel(futures: Iterable[Future[dict[str, bytes]]]) -> None:
    """Cancel the futures not yet started; those running finish."""
    for future in futures:
        future.cancel()
