"""Printed output on a page: collapsed under one line that opens onto the full log.

A page's cells print progress as they run (a fold read back, an epoch trained, a worker
started), and so do the worker processes they start. A reader wants the result, not the
log; a curious one wants the log one click away. `collapse_printed_output`, called once
near a notebook's top (by `fmnist.page.start`), captures what each later cell prints
(this process's output and that of the processes it starts) and shows it, when the cell
ends, as an HTML `<details>` element: a one-line summary that opens onto the log.
Outside IPython it does nothing, so the same code runs in a script.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
import tempfile

# The class of the collapsed log, for the book's styles and its browser check.
LOG_CLASS = "fmnist-log"
# How a run's progress line names its run folder ("run k5-e10-...-1aeaaab06c59: "), which the summary leaves out.
RUN_PREFIX = re.compile(r"^run [\w.-]+: ")


def summary_line(text: str) -> str:
    """Return the one line that stands for a log: how many lines it has, and its last (without a run folder's name)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    count = f"{len(lines)} line" + ("" if len(lines) == 1 else "s")
    return f"Log of this step ({count}): {RUN_PREFIX.sub('', lines[-1])}" if lines else "Log of this step (empty)"


def collapsed_html(text: str) -> str:
    """Return a log as an HTML details element, closed, its summary line first."""
    return (
        f'<details class="{LOG_CLASS}"><summary>{html.escape(summary_line(text))}</summary>'
        f"<pre>{html.escape(text.rstrip())}</pre></details>"
    )


class CellCapture:
    """Capture what one cell prints, from this process (sys.stdout) and from the processes it starts (file descriptor 1)."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.file = None
        self.saved_fd = None
        self.saved_stdout = None

    def start(self) -> None:
        """Send this process's and its new children's standard output to the capture."""
        sys.stdout.flush()
        self.file = tempfile.TemporaryFile(mode="w+b")
        self.saved_fd = os.dup(1)
        os.dup2(self.file.fileno(), 1)
        self.saved_stdout = sys.stdout
        sys.stdout = self.buffer

    def stop(self) -> str:
        """Restore standard output; return what was captured."""
        sys.stdout = self.saved_stdout
        os.dup2(self.saved_fd, 1)
        os.close(self.saved_fd)
        self.file.seek(0)
        from_children = self.file.read().decode(errors="replace")
        self.file.close()
        return self.buffer.getvalue() + from_children


class CollapsedOutput:
    """The IPython event handlers that capture each cell's printed output and show it collapsed."""

    def __init__(self):
        self.capture: CellCapture | None = None

    def pre_run_cell(self, info=None) -> None:
        """Start capturing before a cell runs."""
        self.capture = CellCapture()
        self.capture.start()

    def post_run_cell(self, result=None) -> None:
        """Stop capturing after a cell ran; show what it printed, collapsed."""
        if self.capture is None:
            return
        text, self.capture = self.capture.stop(), None
        if text.strip():
            from IPython.display import HTML, display

            display(HTML(collapsed_html(text)))


def collapse_printed_output() -> None:
    """From the next cell on, show what each cell prints collapsed under one line (once per kernel; nothing outside IPython)."""
    import IPython

    shell = IPython.get_ipython()
    if shell is None or getattr(shell, "_fmnist_collapsed_output", None) is not None:
        return
    handlers = CollapsedOutput()
    shell._fmnist_collapsed_output = handlers
    shell.events.register("pre_run_cell", handlers.pre_run_cell)
    shell.events.register("post_run_cell", handlers.post_run_cell)

