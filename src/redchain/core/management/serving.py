"""Serving redchain from the console script: collect the static files, then run Django's threaded server.

Shared by ``redchain serve`` and ``redchain demo``. Static files are collected first because with DEBUG
off only whitenoise serves them, and whitenoise serves what is in STATIC_ROOT when the server starts.
"""

from __future__ import annotations

import subprocess
import sys
from argparse import ArgumentTypeError
from contextlib import contextmanager

from django.core.management import call_command

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def port_number(value: str) -> int:
    """An argparse type for a TCP port."""
    try:
        port = int(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise ArgumentTypeError(f"port {port} is outside 1-65535")
    return port


def add_serve_arguments(parser) -> None:
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"Address to listen on (default {DEFAULT_HOST})."
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"Port (default {DEFAULT_PORT})."
    )


def url(*, host: str, port: int) -> str:
    """The address a person types into a browser; a wildcard host is reached through loopback."""
    shown = {"0.0.0.0": DEFAULT_HOST, "::": "[::1]"}.get(host, host)  # noqa: S104 - only displayed
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def collect_and_serve(*, host: str, port: int, verbosity: int = 1) -> None:
    """Collect static files, then serve until interrupted. Blocks."""
    call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
    ipv6 = ":" in host
    address = f"[{host.strip('[]')}]:{port}" if ipv6 else f"{host}:{port}"
    # No autoreloader: it would fork a second process that re-runs the whole command, demo load included.
    call_command("runserver", address, use_reloader=False, use_ipv6=ipv6, verbosity=verbosity)


@contextmanager
def background_sweep(*, every_seconds: int = 300):
    """Run ``redchain sweep --loop`` beside the server, for the embedded default that has no Celery beat.

    The sweep marks due-soon and overdue work orders and sends queued notifications; it stops with the server.
    """
    command = [sys.executable, "-m", "redchain.cli", "sweep", "--loop", str(every_seconds)]
    process = subprocess.Popen(command)  # noqa: S603 - our own interpreter and module, fixed arguments
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
