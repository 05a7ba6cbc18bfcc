"""Work split over forked processes, for ``publish``'s thousands of independent pages.

:func:`in_parts` runs one share of the work here and the others in children forked from
this process, so each child starts with everything read so far (the site's tables, the
remembered statuses, the influence network) shared copy-on-write, and nothing read
before the fork is read again. Children send back only small answers (which claims
their pages link, which paths their dossiers list); the pages they write go straight to
the folder being built.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import InfluenceGraphError

T = TypeVar("T")


def cores() -> int:
    """How many processes are worth forking: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether this platform starts processes by forking (Linux; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _child(work: Callable[[int, int], Any], part: int, parts: int, send: Any) -> None:
    try:
        send.send(("ok", work(part, parts)))
    except BaseException:  # any failure, reported to the parent
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def in_parts(work: Callable[[int, int], T], parts: int) -> list[T]:
    """``[work(0, parts), work(1, parts), ...]``: share 0 here, the others in forked
    children at the same time. A child that fails fails the whole (with its traceback);
    when this share fails, the children are stopped first. With one part, or where
    processes cannot fork, every share runs here in turn."""
    if parts <= 1 or not can_fork():
        return [work(part, parts) for part in range(max(parts, 1))]
    context = multiprocessing.get_context("fork")
    children = []
    done = False
    try:
        for part in range(1, parts):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, part, parts, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        results = [work(0, parts)]
        for _, receive in children:
            try:
                status, value = receive.recv()
            except EOFError:
                status, value = "error", "it stopped without an answer"
            if status != "ok":
                raise InfluenceGraphError(f"a publishing process failed:\n{value}")
            results.append(value)
        done = True
        return results
    finally:
        for child, receive in children:
            if not done:
                child.terminate()  # its share is lost anyway: the site is not written
            child.join()
            receive.close()
