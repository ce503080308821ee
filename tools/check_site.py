#!/usr/bin/env python
"""Open every page of the built site in headless Chromium and check what it rendered.

    python tools/check_site.py [--site _site] [--shots _site/screenshots]

Run `python tools/build_site.py` first. The pages are served from a loopback http.server
(127.0.0.1, a free port) and Chromium (Debian: `apt-get install chromium`) is driven from
the command line, one `--dump-dom` run per page, with every host other than 127.0.0.1
unresolvable, so a page that needed the network would show it. A page fails when:

- Chromium cannot load it, or the DOM it returns is not our page (no `<main id="site-main">`
  for that page, its H1 is not the notebook's title, or the page's load handler never ran);
- its outputs show a Python traceback: an `error` output, or the text
  "Traceback (most recent call last)" anywhere in the rendered output area;
- a rich output went missing: fewer HTML outputs, PNG images or ANSI-coloured text outputs
  in the DOM than the notebook holds (counts from `pages.json`), or an image that does not
  decode;
- it loads a script, stylesheet, image or frame from another host;
- a link in its navigation points at a page that was not built.

Screenshots of the index and of the conversation chapter (`05_chat`, when it exists) go to
`--shots`, full page height. Exits 1 naming each failing page, 0 when all pass.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_PAGES = ("index", "05_chat")
WIDTH = 1280          # the page is laid out (and its height measured) at this width
MAX_SHOT_HEIGHT = 24000
TRACEBACK = "Traceback (most recent call last)"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    raise SystemExit("check_site: no Chromium found; install it with "
                     "`apt-get update && apt-get install -y chromium`")


def chromium_cmd(browser: str, profile: str, *extra: str) -> list[str]:
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
            f"--user-data-dir={profile}",
            # offline: only the loopback server resolves
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=10000", *extra]


class Dom(HTMLParser):
    "What the check needs from a dumped DOM, gathered in one pass."

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside an output area)
        self.body: dict = {}
        self.main_page = None
        self.h1: list[str] = []
        self._h1_depth = None
        self.output_text: list[str] = []
        self.errors = 0
        self.html_outputs = 0
        self.png_images = 0
        self.ansi_outputs = 0
        self.external: list[str] = []
        self.nav_links: list[str] = []
        self._in_nav = 0
        self._pre = None  # None, "open" (inside an output's <pre>), "counted"

    @property
    def in_output(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        inside = self.in_output or "jp-OutputArea" in cls or "jp-OutputArea-output" in cls
        if tag == "body":
            self.body = a
        if tag == "main" and a.get("id") == "site-main":
            self.main_page = a.get("data-page")
        if a.get("data-output-type") == "error":
            self.errors += 1
        if "jp-OutputArea-output" in cls and a.get("data-mime-type") == "text/html":
            self.html_outputs += 1
        if tag == "img" and (a.get("src") or "").startswith("data:image/png"):
            self.png_images += 1
        if tag == "pre" and inside:
            self._pre = "open"
        if (tag == "span" and self._pre == "open"
                and (any(c.startswith("ansi-") for c in cls) or "color" in (a.get("style") or ""))):
            self.ansi_outputs += 1  # a <pre> with coloured spans: counted once
            self._pre = "counted"
        if tag == "nav" and "site-nav" in cls:
            self._in_nav += 1
        if tag == "a" and self._in_nav:
            self.nav_links.append(a.get("href") or "")
        url = None
        if tag in ("script", "img", "iframe", "video", "audio", "source", "embed"):
            url = a.get("src")
        elif tag == "link" and "stylesheet" in (a.get("rel") or "") or tag == "link" and a.get("as"):
            url = a.get("href")
        if url and urlparse(url).scheme in ("http", "https") and urlparse(url).hostname != "127.0.0.1":
            self.external.append(f"<{tag}> {url}")
        if tag == "h1" and self._h1_depth is None and not self.in_output:
            self._h1_depth = len(self.stack)
            self.h1.append("")
        if tag not in VOID:
            self.stack.append((tag, inside))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == "pre":
                self._pre = None
            if self._h1_depth is not None and len(self.stack) <= self._h1_depth:
                self._h1_depth = None
            if t == "nav" and self._in_nav:
                self._in_nav -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if self.in_output:
            self.output_text.append(data)
        if self._h1_depth is not None:
            self.h1[-1] += data


def run_chromium(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    "Run Chromium in its own process group; on timeout kill the whole group, then re-raise."
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.communicate()
        raise
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def check_page(page: dict, dom_html: str, site: Path) -> list[str]:
    "Problems with one page, given the DOM Chromium dumped."
    d = Dom()
    d.feed(dom_html)
    d.close()
    stem, exp = page["stem"], page.get("expect", {})
    problems = []
    if d.main_page != stem:
        return [f"did not load (no <main id='site-main' data-page='{stem}'> in the DOM; "
                f"got {len(dom_html)} bytes: {dom_html[:200]!r})"]
    if d.body.get("data-site-loaded") != "1":
        problems.append("the page's load event never fired (data-site-loaded unset)")
    h1 = " ".join(d.h1[0].replace("\u00b6", "").split()) if d.h1 else None
    if h1 != page["title"]:
        problems.append(f"H1 is {h1!r}, expected the notebook's title {page['title']!r}")
    text = "".join(d.output_text)
    if d.errors:
        problems.append(f"{d.errors} error output(s) (a cell raised when the notebook was run)")
    if TRACEBACK in text:
        i = text.index(TRACEBACK)
        snippet = " ".join(text[max(0, i - 80): i + 300].split())
        problems.append(f"a Python traceback in the outputs: ...{snippet}...")
    for kind, got in (("html", d.html_outputs), ("png", d.png_images), ("ansi", d.ansi_outputs)):
        if got < exp.get(kind, 0):
            problems.append(f"{exp[kind]} {kind} output(s) in the notebook, {got} rendered")
    broken = d.body.get("data-site-broken-images", "0")
    if broken != "0":
        problems.append(f"{broken} image(s) did not decode")
    if d.external:
        problems.append("loads from another host: " + ", ".join(d.external[:5]))
    for href in d.nav_links:
        target = href.split("#")[0]
        if target and not urlparse(target).scheme and not (site / target).is_file():
            problems.append(f"navigation link to a missing page: {href}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=ROOT / "_site", help="built site (default: _site)")
    ap.add_argument("--shots", type=Path, default=None,
                    help="where screenshots go (default: SITE/screenshots)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per Chromium run (default 60)")
    args = ap.parse_args(argv)
    site = args.site.resolve()
    shots = (args.shots or site / "screenshots").resolve()
    manifest = site / "pages.json"
    if not manifest.is_file():
        raise SystemExit(f"check_site: {manifest} missing; run `python tools/build_site.py` first")
    pages = json.loads(manifest.read_text(encoding="utf-8"))
    known = {p["file"] for p in pages}
    # pages on disk that the manifest does not know are checked too (without output counts)
    for f in sorted(site.glob("*.html")):
        if f.name not in known:
            pages.append({"file": f.name, "stem": f.stem, "title": None, "expect": {}})
    browser = find_chromium()
    version = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"checking {len(pages)} pages in {site} with {version or browser}")
    shots.mkdir(parents=True, exist_ok=True)
    httpd, base = serve(site)
    failed, t_all = {}, time.perf_counter()
    profile_root = tempfile.mkdtemp(prefix="nanotok-chromium-")
    try:
        for page in pages:
            t0 = time.perf_counter()
            url = f"{base}/{page['file']}"
            profile = tempfile.mkdtemp(dir=profile_root)
            try:
                r = run_chromium(chromium_cmd(browser, profile, f"--window-size={WIDTH},1000",
                                              "--dump-dom", url), args.timeout)
                dom_html = r.stdout
                problems = [] if r.returncode == 0 else [
                    f"chromium exited {r.returncode}: {r.stderr.strip()[-400:]}"]
            except subprocess.TimeoutExpired:
                dom_html, problems = "", [f"chromium did not finish within {args.timeout:g} s"]
            if page["title"] is None:  # not in pages.json: only check it loads and is clean
                m = re.search(r"<h1[^>]*>(.*?)</h1>", dom_html, re.S)
                page["title"] = " ".join(re.sub(r"<[^>]+>|\u00b6", "", m.group(1)).split()) if m else ""
            problems += check_page(page, dom_html, site) if not problems else []
            if page["stem"] in SCREENSHOT_PAGES and not problems:
                height = re.search(r'data-site-height="(\d+)"', dom_html)
                height = min(int(height.group(1)) if height else 2000, MAX_SHOT_HEIGHT)
                png = shots / f"{page['stem']}.png"
                try:
                    r = run_chromium(chromium_cmd(browser, tempfile.mkdtemp(dir=profile_root),
                                                  f"--screenshot={png}", f"--window-size={WIDTH},{height}",
                                                  url), args.timeout)
                    if r.returncode or not png.is_file() or png.stat().st_size == 0:
                        problems.append(f"screenshot failed: {r.stderr.strip()[-400:]}")
                    else:
                        print(f"  screenshot {png} ({WIDTH}x{height})")
                except subprocess.TimeoutExpired:
                    problems.append(f"screenshot did not finish within {args.timeout:g} s")
            exp = page.get("expect", {})
            if exp.get("code_cells", 0) >= 3 and not exp.get("outputs"):
                print(f"  warn {page['file']}: {exp['code_cells']} code cells and no outputs "
                      "(was the notebook saved without running it?)")
            status = "ok" if not problems else "FAIL"
            print(f"  {status:<4} {page['file']:<22} {time.perf_counter() - t0:5.1f} s  {page['title']}")
            for p in problems:
                print(f"       {page['file']}: {p}")
            if problems:
                failed[page["file"]] = problems
    finally:
        httpd.shutdown()
        shutil.rmtree(profile_root, ignore_errors=True)
    took = time.perf_counter() - t_all
    if failed:
        print(f"site check: {len(failed)} of {len(pages)} pages FAILED ({took:.1f} s): "
              + ", ".join(failed))
        return 1
    print(f"site check: {len(pages)} pages passed ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
