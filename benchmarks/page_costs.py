"""What a page costs, measured from outside it: the kernel's websocket, process CPU and memory, a V8 profile.

Shared by bench_trainer.py and bench_costs.py (their docstrings give the method).
"""

import json
import os
import struct
import subprocess
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")

_UNMINIFIED_JS = """
import * as esbuild from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { once_per_page } from "./js/once_per_page.mjs";
const out = process.argv[1];
await esbuild.build({ entryPoints: ["js/trainer/index.js"], bundle: true, format: "esm", target: "es2020",
                      minify: false, outfile: out, logLevel: "warning" });
writeFileSync(out, once_per_page(readFileSync(out, "utf8"), "trainer"));
"""


# ---------------------------------------------------------------- the kernel's websocket


def message_label(payload) -> str:
    """'msg_type' (+ the comm message's method and its custom type or updated traits) of one frame."""
    try:
        if isinstance(payload, str):
            msg = json.loads(payload)
            header, content = msg.get("header", {}), msg.get("content", {})
        else:  # the v1 kernel websocket protocol: a count, offsets, then channel, header, parent, metadata, content
            n = struct.unpack_from("<Q", payload, 0)[0]
            offsets = struct.unpack_from(f"<{n}Q", payload, 8)
            part = lambda k: payload[offsets[k] : offsets[k + 1]]  # noqa: E731
            header, content = json.loads(part(1)), json.loads(part(4))
    except (ValueError, struct.error, IndexError):
        return "(unparsed)"
    label = header.get("msg_type", "?")
    data = content.get("data") if isinstance(content, dict) else None
    if isinstance(data, dict) and "method" in data:
        label += f" {data['method']}"
        inner = data.get("content")
        if isinstance(inner, dict) and "type" in inner:
            label += f" {inner['type']}"
        elif isinstance(data.get("state"), dict):
            label += " " + ",".join(sorted(data["state"]))
    return label


class KernelSocket:
    """Payload bytes on the kernel's websocket(s), both directions, and by message while ``sorting``."""

    def __init__(self, page):
        self.sent = self.received = 0
        self.sorting = False
        self.by_message = Counter()
        page.on("websocket", self._attach)

    def _attach(self, ws):
        if "/api/kernels/" in ws.url:
            ws.on("framesent", lambda payload: self._frame(payload, "page -> kernel"))
            ws.on("framereceived", lambda payload: self._frame(payload, "kernel -> page"))

    def _frame(self, payload, direction):
        size = len(payload.encode() if isinstance(payload, str) else payload)
        if direction == "page -> kernel":
            self.sent += size
        else:
            self.received += size
        if self.sorting:
            self.by_message[(direction, message_label(payload))] += size


# ---------------------------------------------------------------- processes


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime, all threads


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def chromium_cpu(browser_cdp) -> dict:
    """CPU seconds so far of Chromium's processes, summed by type (renderer, GPU, browser, utility)."""
    out = Counter()
    for proc in browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]:
        out[proc["type"].split(".")[-1]] += cpu_seconds(proc["id"])  # network.mojom.NetworkService
    return out


# ---------------------------------------------------------------- where the page's time goes


def unminified_bundle(directory: Path) -> Path:
    out = directory / "trainer.js"
    subprocess.run(["node", "--input-type=module", "-e", _UNMINIFIED_JS, str(out)], cwd=REPO, check=True)
    return out


def profile(page, seconds, bundle: Path, play, pause) -> dict:
    """Self time per source module of the unminified bundle (esbuild writes `// js/...` before each)."""
    starts = [
        (k + 1, line[3:].strip())
        for k, line in enumerate(bundle.read_text().splitlines())
        if line.startswith("// js/") or line.startswith("// node_modules/")
    ]
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    play(page)
    page.wait_for_timeout(2000)
    cdp.send("Profiler.start")
    page.wait_for_timeout(seconds * 1000)
    prof = cdp.send("Profiler.stop")["profile"]
    pause(page)
    nodes = {n["id"]: n for n in prof["nodes"]}
    self_us = Counter()
    for node_id, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        self_us[node_id] += delta
    by_module, by_function = Counter(), Counter()
    for node_id, us in self_us.items():
        frame = nodes[node_id]["callFrame"]
        name, url = frame["functionName"] or "(anonymous)", frame.get("url", "")
        if name.startswith("("):
            module = name  # (program): the browser's native work; (garbage collector); (idle)
        elif url.startswith("blob:") or "trainer" in url:
            line = frame["lineNumber"] + 1
            module = next((m for start, m in reversed(starts) if start <= line), "bundle")
        else:
            module = "JupyterLab and other scripts"
        by_module[module] += us
        by_function[(name, module)] += us
    total = sum(self_us.values())
    return {"total_s": total / 1e6, "modules": by_module, "functions": by_function}
