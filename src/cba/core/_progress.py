"""Progress bars that show where the user is looking: a terminal or a Jupyter notebook.

:func:`progress_bar` returns a tqdm bar. In a terminal it is tqdm's text bar, shown
only when the output is a terminal; in a Jupyter notebook it is tqdm's notebook bar
(``tqdm.auto``, a widget) when ipywidgets is installed, else the text bar written to
the cell's output. Either way it is shown there: a notebook's output is not a
terminal, so the terminal rule would hide it.
"""

from __future__ import annotations

import importlib.util
import sys


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (an IPython shell that talks to a notebook).

    >>> in_notebook()
    False
    """
    ipython = sys.modules.get("IPython")
    if ipython is None or "ipykernel" not in sys.modules:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _bar_class(notebook: bool):
    if notebook and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm  # the notebook widget

        return tqdm
    from tqdm import tqdm

    return tqdm


def progress_bar(total: int, progress: bool | None, n_chunks: int, desc: str = "Monte Carlo"):
    """A progress bar over ``total`` draws.

    Parameters
    ----------
    total : int
        Draws to run.
    progress : bool or None
        ``True`` always shown, ``False`` never; ``None`` (automatic) shown when the
        run has more than one chunk, in a notebook or on a terminal, after a second.
    n_chunks : int
        Chunks the run is made in.
    desc : str
        The bar's label.

    Examples
    --------
    >>> bar = progress_bar(10, False, 1)
    >>> bar.disable
    True
    """
    notebook = in_notebook()
    tqdm = _bar_class(notebook)
    if progress is False:
        return tqdm(total=total, disable=True)
    if progress is True:
        return tqdm(total=total, unit="draw", unit_scale=True, desc=desc)
    if n_chunks <= 1:
        return tqdm(total=total, disable=True)
    # automatic: in a notebook always (its output is not a terminal), else only on a terminal
    return tqdm(total=total, unit="draw", unit_scale=True, desc=desc, disable=False if notebook else None,
                delay=1.0)
