"""Helpers the widget tests share: a stand-in for the kernel comm, messages from the browser, a deadline wait."""

import time


class Recorder:
    """Stands in for the kernel comm: keeps what the widget sends."""

    def __init__(self, widget):
        self.messages = []
        widget.comm.send = lambda data=None, metadata=None, buffers=None: self.messages.append((data, buffers or []))

    def custom(self):
        return [(data["content"], buffers) for data, buffers in self.messages if data.get("method") == "custom"]

    def updates(self):
        """The trait names of each state update (binary ones travel as buffer paths)."""
        return [
            set(data["state"]) | {path[0] for path in data.get("buffer_paths", [])}
            for data, _ in self.messages
            if data.get("method") == "update"
        ]


def send_from_browser(widget, content, buffers=()):
    """Deliver a custom message as the front-end's model.send would."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": list(buffers)})


def node_of(widget, value):
    """The id (position in the widget's topological order) of ``value``."""
    return widget.root.topo().index(value)


def wait_for(predicate, timeout=10.0):
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False): a deadline, not a timing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False
