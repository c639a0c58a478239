"""Forked worker processes for the steps that do the same work on many pages.

A newsroom's first run reads, templates, merges and renders thousands of
pages, each on its own; one process uses one core of the several a build
machine has. Workers are forked, so each inherits the step as it stands
(settings, the glossary's automaton, what the build state said) with nothing
pickled but the tasks and their results, and they never touch the build
state themselves: the step records what comes back, in one process.

``L10N_WORKERS=N`` chooses the number; 1 keeps everything in this process.
"""

from __future__ import annotations

import os
from typing import Callable, Sequence, TypeVar

from l10n_tool.errors import L10nError

#: fewer tasks than this are done in this process: a fork costs more than they do
PARALLEL_MIN = 24

T = TypeVar("T")
R = TypeVar("R")

#: the work of this worker process (set in forked children only, by ``_install``)
_WORK: Callable | None = None


def count() -> int:
    """The CPUs this process may use, at most 8 (writes to one folder stop
    scaling), or ``L10N_WORKERS``; 1 where fork is missing."""
    if os.environ.get("L10N_WORKERS"):
        try:
            return max(1, int(os.environ["L10N_WORKERS"]))
        except ValueError:
            raise L10nError(f"L10N_WORKERS must be a number, not {os.environ['L10N_WORKERS']!r}"
                            ) from None
    if not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):
        return 1
    return max(1, min(8, len(os.sched_getaffinity(0))))


class _Failed(tuple):
    """An L10nError raised in a worker, as plain data (its own pickling
    would drop the path and line)."""


def _install(work: Callable, parent: int) -> None:
    global _WORK
    _WORK = work
    _die_with(parent)


def _die_with(parent: int) -> None:
    """A worker whose run is killed outright (SIGKILL, the OOM killer) is
    killed too: else it goes on writing PO files and pages for a run that is
    gone, and the project lock it inherited keeps the next run waiting."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):      # not Linux: the worker ends with its next task
        return
    if os.getppid() != parent:             # the run died before the line above
        os._exit(1)


def _call(task):
    try:
        return _WORK(task)
    except L10nError as exc:
        return _Failed((exc.message, exc.path, exc.line, exc.exit_code))


def fan_out(work: Callable[[T], R], tasks: Sequence[T], workers: int | None = None,
            minimum: int | None = None) -> list[R]:
    """``work(task)`` for every task, in task order: in forked workers when
    there are at least ``minimum`` (default ``PARALLEL_MIN``) tasks, else
    here. ``work`` may be a closure (forked, never pickled); an L10nError in
    any worker is raised here."""
    workers = count() if workers is None else workers
    minimum = PARALLEL_MIN if minimum is None else minimum
    if workers <= 1 or len(tasks) < max(1, minimum):
        return [work(task) for task in tasks]
    import multiprocessing
    chunk = max(1, min(16, len(tasks) // (8 * workers)))
    with multiprocessing.get_context("fork").Pool(workers, _install, (work, os.getpid())) as pool:
        outcomes = pool.map(_call, tasks, chunksize=chunk)
    for outcome in outcomes:
        if isinstance(outcome, _Failed):
            raise L10nError(*outcome)
    return outcomes
