"""A trainer saved as one live page: ``Trainer.save_html``.

The page trains as the notebook's view does (js/trainer/engine.js replays the
recorded graphs), from the trainer's current state, with the lecturer's data,
settings, hide and lock. What needs Python (a new graph, model or data) is
locked there, saying so. The page's *copy setup* gives a ``Trainer.from_state``
line of what the page shows (js/offline/trainer_setup.js packs it as
training/state.py does), so a student's experiment goes back into a notebook.
"""

from ..training.settings import SETTINGS
from . import _trainer_state as wire_state
from ._html import document, widget_state
from ._trainer_options import locked
from ._trainer_picture import trainer_svg

# what a saved page can't do without Python: settings that rebuild, and these buttons
NEEDS_PYTHON = (*(s.name for s in SETTINGS if not s.spec()["page"] and s.control != "none"),
                "new_data", "draw", "undo_point", "clear_points", "fit_axes", "copy_torch")  # fmt: skip
LOCK_NOTE = "needs Python: copy setup, paste it into a notebook, and change it there"
STATUS = "a saved trainer: it trains in this page; for the rest, copy setup, paste it into a notebook"


def page(trainer, title=None) -> str:
    """The whole HTML page, as text."""
    session = trainer.session
    with session.lock:
        extra = {
            "kernel_state": trainer.state(),  # what copy setup continues from
            "point_template": wire_state.point_state(session, max(0, trainer.selected)),
            "lock": sorted({*trainer.lock, *NEEDS_PYTHON}),
            "locked": locked(sorted({*trainer.locked, *NEEDS_PYTHON})),
            "lock_note": LOCK_NOTE,
            "status": STATUS,
        }
        saved = widget_state(trainer, extra)
    s = session.settings
    title = title or f"trainer: {s['data']}, MLP {session.model.sizes}, {s['loss']}"
    return document("trainer", title, saved, trainer_svg(session))
