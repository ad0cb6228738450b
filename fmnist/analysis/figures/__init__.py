"""The book's figures by subject, drawn with matplotlib from the data and saved results only.

Imported in IPython (a notebook), it asks for inline figures at twice their pixels
("retina" PNGs), so that the book's images stay sharp when a browser scales them to the
column; elsewhere it changes nothing.
"""

from fmnist.analysis.figures import ablation, cross_validation, data, model, noise, sweep, test_set

__all__ = ["ablation", "cross_validation", "data", "model", "noise", "sweep", "test_set"]


def sharp_inline_figures() -> None:
    """In IPython, draw inline figures as PNGs of twice the resolution; outside IPython, nothing."""
    try:
        import IPython
        from matplotlib_inline import backend_inline
    except ImportError:
        return
    if IPython.get_ipython() is not None:
        backend_inline.set_matplotlib_formats("retina")


sharp_inline_figures()
