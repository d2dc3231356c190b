"""`regiopool generate`: write a deterministic sample inbox."""

from __future__ import annotations

from pathlib import Path

import click

from .common import parse_month
from .rates import DEFAULT_RATES


def _month(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        parse_month(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM, got {value!r}") from None
    return value


def _rates(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
           ) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}")
        if name not in DEFAULT_RATES:
            raise click.BadParameter(
                f"unknown rate {name!r} (known: {', '.join(sorted(DEFAULT_RATES))})")
        try:
            value = float(raw)
        except ValueError:
            raise click.BadParameter(f"rate {name!r}: {raw!r} is not a number") from None
        if not 0.0 <= value <= 1.0:
            raise click.BadParameter(f"rate {name!r} must be between 0 and 1, got {raw}")
        out[name] = value
    return out


@click.command("generate")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Inbox directory to write (partner folders in it are replaced).")
@click.option("--from", "start", default="2024-01", show_default=True, callback=_month,
              metavar="YYYY-MM",
              help="First reporting month, YYYY-MM.")
@click.option("--to", "end", default="2025-12", show_default=True, callback=_month,
              metavar="YYYY-MM",
              help="Last reporting month, YYYY-MM.")
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(min=0.001, max=100_000),
              help="Volume factor (1 = a realistic year: 400 city, 150 district, 250 IRL enquiries).")
@click.option("--seed", default=42, show_default=True, type=int, help="Random seed.")
@click.option("--rate", "rates", multiple=True, callback=_rates, metavar="NAME=VALUE",
              help="Override an irregularity rate (repeatable); see docs/sample_data.md.")
def generate_command(out_dir: Path, start: str, end: str, scale: float, seed: int,
                     rates: dict[str, float]) -> None:
    """Write a deterministic sample inbox for the three partners."""
    from . import generate_inbox
    from .reference import ReferenceNotFound

    if parse_month(start) > parse_month(end):
        raise click.UsageError(f"--from {start} is after --to {end}")
    try:
        summary = generate_inbox(out_dir, start=start, end=end, scale=scale, seed=seed,
                                 rates=rates)
    except (ValueError, ReferenceNotFound) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    click.echo(f"wrote {summary['files']} files ({summary['bytes'] / 1e6:.1f} MB) to {out_dir} "
               f"for {summary['range'][0]}..{summary['range'][1]}, scale {scale:g}, seed {seed}")
    click.echo(f"  projects: {summary['projects']} regional; records: "
               + ", ".join(f"{k} {v}" for k, v in summary["records"].items()))
    click.echo("  rows: " + ", ".join(f"{k} {v}" for k, v in summary["rows"].items()))
    injected = {k: v for k, v in summary["irregularities"].items() if v}
    click.echo("  irregularities: " + (", ".join(f"{k} {v}" for k, v in injected.items())
                                        or "none"))
