"""Work run on a few threads at once: for calls that mostly wait on the network (DynamoDB, HTTP).

Each task runs on one thread from start to end, so what a task does in order stays in order;
tasks start in the order given, at most `lanes` at a time, and the caller gets control back
only once every task is done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait


def run_on_lanes(tasks: Sequence[Callable[[], None]], lanes: int) -> None:
    """Run every task, up to `lanes` at once; one lane (or one task) runs them here, one after another.

    A task that raises stops the tasks not yet started (a failing store fails them all alike);
    the ones under way finish, then the first failure is raised.
    """
    if lanes <= 1 or len(tasks) <= 1:
        for task in tasks:
            task()
        return
    with ThreadPoolExecutor(max_workers=min(lanes, len(tasks)), thread_name_prefix="lane") as pool:
        futures = [pool.submit(task) for task in tasks]
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            future.cancel()  # only the ones not started
    for future in futures:
        if not future.cancelled():
            future.result()
