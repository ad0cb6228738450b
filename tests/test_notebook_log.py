"""A page's printed output shows collapsed under one line that opens onto the full log."""

import subprocess
import sys

from fmnist import notebook_log


def test_the_summary_counts_the_lines_and_gives_the_last_without_the_run_folder():
    text = "run k5-e10-b32-f32-valid-1aeaaab06c59: 0 of 5 folds already saved, 5 to train now\nfold 1 epoch 1/10\n"
    assert notebook_log.summary_line(text) == "Log of this step (2 lines): fold 1 epoch 1/10"
    assert notebook_log.summary_line("run k5-e10-abc: 5 of 5 folds already saved\n") == "Log of this step (1 line): 5 of 5 folds already saved"
    assert notebook_log.summary_line("\n") == "Log of this step (empty)"


def test_the_log_is_closed_and_escaped():
    shown = notebook_log.collapsed_html("a < b & c\n")
    assert shown.startswith(f'<details class="{notebook_log.LOG_CLASS}"><summary>')
    assert "<details open" not in shown
    assert "a &lt; b &amp; c" in shown


def test_a_cell_capture_takes_this_process_and_its_children_s_output(capfd):
    capture = notebook_log.CellCapture()
    capture.start()
    try:
        print("from this process")
        subprocess.run([sys.executable, "-c", "print('from a child process')"], check=True)
    finally:
        text = capture.stop()
    assert "from this process" in text and "from a child process" in text
    # Nothing of it reached the cell's own output.
    assert "from a child" not in capfd.readouterr().out


def test_in_ipython_what_a_cell_prints_shows_as_one_collapsed_log():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils import capture

    shell = InteractiveShell.instance()
    try:
        notebook_log.collapse_printed_output()
        notebook_log.collapse_printed_output()  # a second call registers nothing more
        with capture.capture_output() as captured:
            shell.run_cell("print('fold 1 epoch 1/10')")
    finally:
        InteractiveShell.clear_instance()
    assert "fold 1 epoch 1/10" not in captured.stdout
    shown = [output.data["text/html"] for output in captured.outputs]
    assert len(shown) == 1 and "Log of this step (1 line): fold 1 epoch 1/10" in shown[0]
