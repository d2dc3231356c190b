"""Command line: `regiopool generate | run | demo`.

Each command lives in the module that owns its work; this file only wires them together so
that `regiopool --help` lists everything. Errors a user can fix (wrong arguments, a missing
inbox, an unreadable file) end in one line on stderr and a non-zero exit, not a traceback.
"""

from __future__ import annotations

import sys

import click


class UserError(click.ClickException):
    """A problem the user can fix; shown as one line."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """regiopool: the shared regional data pool of the economic-development agencies around Leipzig."""


def _register() -> None:
    from regiopool.generate.cli import generate_command
    from regiopool.pipeline_cli import demo_command, run_command

    main.add_command(generate_command, "generate")
    main.add_command(run_command, "run")
    main.add_command(demo_command, "demo")


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
