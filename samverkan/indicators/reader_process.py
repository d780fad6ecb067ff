"""An import's file read in a second process while this one writes the rows it makes (two cores at work).

The reading (unpacking, decoding, checking each record, making its row) and the writing (the database's
INSERTs or COPY) of a large import each take about half its time, one after the other in one process.
``read_in_process`` forks: the child runs the reading and sends its rows in batches through a pipe, this
process writes each batch as it comes, and the child's final state (counts, what is left to update…) comes
back at the end. The pipe holds a batch or two: a child ahead of the writer waits, so memory stays bounded.

The child never touches the database: it was opened by the parent, and only the parent uses it (the child
leaves by ``os._exit``, which closes nothing of the parent's). Where a process cannot fork safely (no "fork"
start method, a daemonic process, which may not have children, or one running other threads),
``can_read_in_process`` says so and the caller reads in its own process.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import marshal
import multiprocessing
import pickle
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any

# Rows sent to the writer at a time: enough that a message costs little per row, few enough that several
# fit in the pipe (~100 KB of the police archive's rows).
ROWS_PER_MESSAGE = 250
# The pipe's buffer where the system lets it be set (Linux): the reader runs on while the writer is busy
# with a batch, instead of waiting for it at every message. Elsewhere the default (64 KB on macOS).
PIPE_BYTES = 1 << 20


# The longest the reading process may send nothing. It sends a batch every ROWS_PER_MESSAGE rows (every few
# milliseconds), so silence this long means it is stuck (a lock held by another thread at the fork, which
# the child inherited locked) rather than slow: it is stopped and the import fails instead of hanging.
SILENCE_SECONDS = 120.0


class ReaderProcessDied(RuntimeError):
    """The reading process ended without its result (killed, or out of memory), or went silent."""


def can_read_in_process() -> bool:
    """Whether this process may fork a reader: Linux and macOS may, a daemonic process may not, and nor may
    a process running other threads (a threaded web server or job worker): a lock one of them holds at the
    fork (a logging handler's, an allocator's) stays locked in the child for good. So the command line and
    a worker without threads read in a second process; a web upload reads in its own."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and threading.active_count() == 1
    )


class _RowSender:
    """The child's writer: rows handed over one at a time, sent to the parent ROWS_PER_MESSAGE at a time.

    As ``marshal`` makes them (half of ``pickle``'s time, and this is the busier process) while the rows
    hold only what it takes (texts, numbers, None: on SQLite); otherwise (datetimes, for PostgreSQL) pickled.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.pending: list[Sequence[Any]] = []
        self.marshal_takes = True

    def write(self, row: Sequence[Any]) -> None:
        self.pending.append(row)
        if len(self.pending) >= ROWS_PER_MESSAGE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        message = None
        if self.marshal_takes:
            try:
                message = _MARSHALLED_ROWS + marshal.dumps(self.pending)
            except ValueError:  # a value marshal does not take: the rows are pickled from now on
                self.marshal_takes = False
        if message is None:
            message = _PICKLED_ROWS + pickle.dumps(self.pending, protocol=pickle.HIGHEST_PROTOCOL)
        self.connection.send_bytes(message)
        self.pending = []


# The first byte of a message from the child says what follows.
_MARSHALLED_ROWS, _PICKLED_ROWS, _DONE, _FAILED = b"m", b"p", b"d", b"e"


def _widen(connection: Any) -> None:
    """The pipe's buffer set to PIPE_BYTES where the system allows it (best effort: a smaller buffer only
    makes the reader wait more often)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(connection.fileno(), set_size, PIPE_BYTES)


def _sendable(error: BaseException) -> BaseException:
    """``error`` as it can travel to the parent, with the child's traceback as a note."""
    note = "In the reading process:\n" + "".join(traceback.format_exception(error))
    try:
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (made by this process just now)
    except Exception:  # an exception that does not survive pickling: its text does
        copy = RuntimeError(f"{type(error).__name__}: {error}")
    copy.add_note(note)
    return copy  # type: ignore[no-any-return]


def _child(read: Callable[[_RowSender], Any], connection: Any) -> None:
    # The inherited objects are never collected here: freezing them keeps the collector from touching (and
    # so copying) every page of the parent's memory.
    gc.freeze()
    try:
        sender = _RowSender(connection)
        result = read(sender)
        sender.flush()
        connection.send_bytes(_DONE + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as error:  # everything goes to the parent, which raises it
        connection.send_bytes(_FAILED + pickle.dumps(_sendable(error), protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        connection.close()


def read_in_process(read: Callable[[Any], Any], write_rows: Callable[[list[Any]], None]) -> Any:
    """``read(writer)`` in a forked child, ``write_rows`` here for each batch of the rows it gave
    ``writer.write``, in order; returns what ``read`` returned. Raises here what ``read`` raised there.

    ``read`` must not use the database, and its result must pickle. Only where ``can_read_in_process``.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(sender)
    process = context.Process(target=_child, args=(read, sender), daemon=True)
    process.start()
    sender.close()  # the child's end: when the child is gone, reading gives EOFError
    try:
        while True:
            if not receiver.poll(SILENCE_SECONDS):
                raise ReaderProcessDied(f"The reading process sent nothing for {SILENCE_SECONDS:.0f} s.")
            try:
                message = receiver.recv_bytes()
            except EOFError:
                process.join()
                raise ReaderProcessDied(
                    f"The reading process ended without a result (exit code {process.exitcode})."
                ) from None
            kind, body = message[:1], memoryview(message)[1:]
            # From the child this process forked (nothing else writes to the pipe).
            if kind == _MARSHALLED_ROWS:
                write_rows(marshal.loads(body))  # noqa: S302
            elif kind == _PICKLED_ROWS:
                write_rows(pickle.loads(body))  # noqa: S301
            elif kind == _DONE:
                return pickle.loads(body)  # noqa: S301
            else:
                raise pickle.loads(body)  # noqa: S301
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()  # the writer failed: the reading is of no use
        process.join()
