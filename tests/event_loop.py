"""Running a test's asyncio clients from a synchronous test.

Playwright's sync API leaves an event loop running in the main thread of a test worker that
ran a browser test, and `asyncio.run` refuses to start inside it; a thread of its own has none.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
