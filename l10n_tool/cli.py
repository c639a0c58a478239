"""The ``l10n`` command line.

One thin function per command: read options, call the library, print a
summary. An ``L10nError`` anywhere below becomes one line on stderr and exit
code 2 (bad input) or 1 (findings); nothing here decides what is valid.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from l10n_tool import __version__
from l10n_tool.config import layout_problem, load_settings, with_overrides
from l10n_tool.errors import EXIT_FINDINGS, EXIT_USAGE, L10nError
from l10n_tool.lock import project_lock
from l10n_tool.locales import get_locale
from l10n_tool.mt import REGISTRY as MT_ENGINES
from l10n_tool.problems import Problem
from l10n_tool.project import Project


#: commands that write catalogs or the site, so two of them must not overlap
LOCKING_COMMANDS = {"extract", "update", "translate", "publish"}
#: commands that read the glossary: a named but missing one must stop them
GLOSSARY_COMMANDS = {"extract", "update", "translate", "check"}
#: commands that work without a project
PROJECTLESS_COMMANDS = {"models"}


def _where(path, ctx: click.Context) -> str:
    """A path as the project names it. A relative one is already that (the
    library's are relative to the project root, not to where the command runs)."""
    project = ctx.find_object(Project)
    if not Path(path).is_absolute():
        return str(path)
    if project is None:
        # the settings themselves failed: named from the project folder all the same
        # (pyproject.toml:12, as [tool.l10n.mt] errors are), not by an absolute path
        root = Path(ctx.params.get("project_dir") or ".").resolve()
        return os.path.relpath(path, root) if Path(path).is_relative_to(root) else str(path)
    return project.rel(Path(path))


def _one_line(exc: BaseException, ctx: click.Context) -> tuple[str, int]:
    """The message and exit code for a failure, one line, no traceback."""
    if isinstance(exc, L10nError):
        # files named as the project knows them (locales/de/x.po), as every
        # other line the commands print does, however the library named them
        shown = _where(exc.path, ctx) if exc.path is not None else None
        return str(Problem(exc.message, shown, exc.line)), exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", 130
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if exc.filename is None:
            return reason, EXIT_USAGE
        where = _where(exc.filename, ctx)
        if exc.filename2 is not None:
            where += f" -> {_where(exc.filename2, ctx)}"
        return f"{where}: {reason}", EXIT_USAGE
    if isinstance(exc, sqlite3.Error):
        project = ctx.find_object(Project)
        where = f"{_where(project.settings.cache_dir, ctx)}: " if project is not None else ""
        return f"{where}database error: {exc}", EXIT_USAGE
    if isinstance(exc, UnicodeDecodeError):
        return (f"not valid {exc.encoding}: {exc.reason} (byte 0x{exc.object[exc.start]:02x} "
                f"at offset {exc.start})", EXIT_USAGE)
    raise exc


class _ReportFormat(click.Choice):
    """The names in ``checks.report.FORMATS``, read when ``check`` parses its
    options: importing every check at start-up would slow every command."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self):
        from l10n_tool.checks.report import FORMATS
        return tuple(FORMATS)

    @choices.setter
    def choices(self, value) -> None:
        pass


class _Group(click.Group):
    """The one error boundary: whatever a command raises that a user can cause
    (bad input, a full or read-only disk, a locked database, Ctrl-C) ends as one
    ``error: file[:line]: message`` line and an exit code, never a traceback."""

    def invoke(self, ctx):
        # the group callback must know whether the subcommand only asks for --help
        ctx.meta["l10n.args"] = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        try:
            return super().invoke(ctx)
        except BrokenPipeError:       # `l10n check --list | head`: the reader left, as git does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except (L10nError, OSError, sqlite3.Error, UnicodeDecodeError, KeyboardInterrupt) as exc:
            message, code = _one_line(exc, ctx)
            click.echo(f"error: {message}", err=True)
            ctx.exit(code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:      # a bug of ours: still one line, pointing at it
            if os.environ.get("L10N_TRACEBACK"):
                raise
            click.echo(f"error: {_internal(exc)}", err=True)
            ctx.exit(EXIT_USAGE)


def _internal(exc: Exception) -> str:
    """``internal error at FILE:LINE: Type: message``, FILE:LINE being where the
    innermost cause was raised (a StopIteration inside a generator surfaces as a
    RuntimeError at the loop that drove it)."""
    root = exc
    while root.__cause__ is not None or (root.__context__ is not None
                                         and not root.__suppress_context__):
        root = root.__cause__ or root.__context__
    import traceback         # only for a bug's report: not on every command's start
    frames = traceback.extract_tb(root.__traceback__) or traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PACKAGE)]
    where = ""
    if ours or frames:
        f = (ours or frames)[-1]
        name = Path(f.filename).resolve()
        name = name.relative_to(_PACKAGE.parent) if name.is_relative_to(_PACKAGE.parent) else name
        where = f" at {name.as_posix()}:{f.lineno}"
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return (f"internal error{where}: {type(exc).__name__}{': ' + text if text else ''} "
            "(a bug in l10n_tool; L10N_TRACEBACK=1 shows the traceback)")


_PACKAGE = Path(__file__).resolve().parent


def _project(ctx: click.Context) -> Project:
    return ctx.find_object(Project)


def _distinct_locales(ctx, param, codes: tuple[str, ...]) -> tuple[str, ...]:
    """``-l de -l DE`` is one locale: each is resolved (aliases too, ``zh_CN`` and
    ``zh_Hans``) and named once, or status listed its pages twice and update
    merged each of its files twice."""
    out, seen = [], set()
    for code in codes:
        key = get_locale(code).code
        if key not in seen:
            seen.add(key)
            out.append(code)
    return tuple(out)


locale_options = [
    click.option("-l", "--locale", "locales", multiple=True, metavar="LOCALE",
                 callback=_distinct_locales,
                 help="Target locale (repeatable), e.g. zh_Hans or de."),
    click.option("--all", "all_locales", is_flag=True,
                 help="Every locale listed in [tool.l10n] locales (the default)."),
]


def with_locales(fn):
    for option in reversed(locale_options):
        fn = option(fn)
    return fn


paragraphs_option = click.option(
    "--paragraphs", is_flag=True,
    help='Keep whole paragraphs as units, no sentence split (or segment = "paragraphs" in '
         '[tool.l10n]).')


def _segmented(ctx: click.Context, paragraphs: bool) -> Project:
    project = _project(ctx)
    if paragraphs:
        project.settings = with_overrides(project.settings, segment="paragraphs")
    return project


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Project folder (default: the current folder).")
@click.option("--source-dir", type=click.Path(path_type=Path), default=None,
              help="Override [tool.l10n] source_dir.")
@click.option("--glossary", type=click.Path(path_type=Path), default=None,
              help="Override [tool.l10n] glossary.")
@click.option("--locales-dir", type=click.Path(path_type=Path), default=None,
              help="Override [tool.l10n] locales_dir.")
@click.option("--source-locale", default=None, help="Override [tool.l10n] source_locale.")
@click.option("--wait", is_flag=True,
              help="When another l10n command is writing this project, wait for it to finish "
                   "instead of stopping.")
@click.version_option(__version__, prog_name="l10n")
@click.pass_context
def cli(ctx, project_dir, source_dir, glossary, locales_dir, source_locale, wait):
    """Translate news articles offline: extract, update, translate, check, publish."""
    command = ctx.invoked_subcommand
    if command in PROJECTLESS_COMMANDS or any(a in ("-h", "--help") for a in ctx.meta.get("l10n.args", ())):
        return
    settings = load_settings(project_dir)
    root = settings.root
    project = ctx.obj = Project(with_overrides(
        settings,
        source_dir=(root / source_dir) if source_dir else None,
        glossary=(root / glossary) if glossary else None,
        glossary_explicit=True if glossary else None,
        locales_dir=(root / locales_dir) if locales_dir else None,
        source_locale=get_locale(source_locale).code if source_locale else None))
    if source_dir or locales_dir:
        # the settings file's folders were checked as it was read; these replace them
        problem = layout_problem(project.settings)
        if problem is not None:
            given = " ".join(f"{flag} {value}" for flag, value in
                             (("--source-dir", source_dir), ("--locales-dir", locales_dir)) if value)
            raise L10nError(f"{given}: {problem[1]}")
    project.note = lambda message: click.echo(f"note: {message}", err=True)
    for message in settings.notes:
        project.note(message)
    if command in GLOSSARY_COMMANDS:
        project.check_glossary()
        from l10n_tool.glossary import check_file
        check_file(project.settings.glossary)     # before anything takes its fingerprint
    if command in LOCKING_COMMANDS:
        lock = project_lock(project.settings.cache_dir, command).acquire(wait, project.note)
        ctx.call_on_close(lock.release)


@cli.command()
@paragraphs_option
@click.pass_context
def extract(ctx, paragraphs):
    """Write locales/templates/<page>.pot from source/*.html."""
    from l10n_tool.steps.extract import extract as do_extract
    project = _segmented(ctx, paragraphs)
    with project.build_state() as state:
        results, pages = do_extract(project, state)
    for r in results:
        if r.changed:
            click.echo(f"{project.rel(r.path)}: {r.units} units")
    unchanged = sum(1 for r in results if not r.changed)
    if unchanged:        # one line, not one per page of a 10,000-page site
        click.echo(f"{unchanged} templates up to date")
    _report_pages(ctx, pages.problems, pages.warnings)


@cli.command()
@with_locales
@paragraphs_option
@click.pass_context
def update(ctx, locales, all_locales, paragraphs):
    """Extract again, then create or merge locales/<locale>/<page>.po."""
    from l10n_tool.steps.update import update as do_update
    project = _segmented(ctx, paragraphs)
    run = do_update(project, project.locales(locales, all_locales))
    for r in run.files:
        m = r.result
        state = "created" if m.created else ("updated" if r.written else "unchanged")
        click.echo(f"{project.rel(r.path)}: {state}; {m.kept} kept, {m.reused} reused, "
                   f"{m.fuzzy} fuzzy, {m.new} new, {m.obsolete} obsolete")
    if run.up_to_date:
        click.echo(f"{run.up_to_date} PO files up to date (template and memory unchanged)")
    for path in run.orphaned:
        click.echo(f"note: {path} has no source page (renamed or deleted?); kept, and its "
                   f"translations serve as memory. Delete it when it is no longer needed.")
    _report_pages(ctx, run.problems, run.warnings)


def _report_pages(ctx: click.Context, problems, warnings) -> None:
    """Pages that could not be read are skipped, not fatal: one line each, exit 1."""
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for p in problems:
        click.echo(f"error: {p}; page skipped", err=True)
    if problems:
        ctx.exit(EXIT_FINDINGS)


@cli.command()
@with_locales
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def status(ctx, locales, all_locales, fmt):
    """Units and words reviewed, fuzzy and untranslated, per locale and page."""
    from l10n_tool.steps.status import status as do_status
    project = _project(ctx)
    report = do_status(project, project.locales(locales, all_locales))
    rows = report.rows
    if fmt == "json":
        click.echo(json.dumps({"pages": rows, "orphaned": report.orphaned},
                              ensure_ascii=False, indent=2))
        return
    width = max([9, *(len(r["locale"]) + 1 for r in rows)])     # sr_Latn_RS, zh_Hant_TW
    click.echo(f"{'locale':<{width}} {'page':<48} {'reviewed':>14} {'fuzzy':>6} {'untransl.':>9} {'words':>11}")
    for r in rows:
        click.echo(f"{r['locale']:<{width}} {r['page'][:48]:<48} "
                   f"{r['reviewed']:>4}/{r['units']:<4} {r['percent_reviewed']:>4.0f}% "
                   f"{r['fuzzy']:>6} {r['untranslated']:>9} {r['words_reviewed']:>5}/{r['words']:<5}")
    for path in report.orphaned:
        click.echo(f"orphaned: {path} (its source page is gone; delete it or restore the page)")


@cli.command()
@with_locales
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: [tool.l10n] output_dir).")
@click.option("--include-fuzzy/--no-include-fuzzy", default=None,
              help="Let unreviewed (fuzzy) translations go live.")
@click.option("--min-complete", type=click.FloatRange(0, 100), default=None,
              help="Withhold pages with a smaller share of reviewed units (percent).")
@click.pass_context
def publish(ctx, locales, all_locales, out_dir, include_fuzzy, min_complete):
    """Write the localised site: public/<locale>/<page>.html, indexes, sitemap."""
    from l10n_tool.steps.publish import publish as do_publish

    project = _project(ctx)
    result = do_publish(project, project.locales(locales, all_locales), min_complete,
                        include_fuzzy, out_dir, keep_other_locales=bool(locales))
    for d in result.decisions:
        if not d.published:
            click.echo(f"withheld {d.locale}/{d.slug}: {d.reason}")
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    for p in result.problems:
        click.echo(f"error: {p}", err=True)
    out = result.shown
    if not result.written and not result.removed:
        click.echo(f"{out}: up to date ({result.unchanged} files unchanged)")
    else:
        click.echo(f"{out}: {len(result.written)} written, {result.unchanged} unchanged, "
                   f"{len(result.removed)} removed; "
                   f"{sum(1 for d in result.decisions if d.published)} translated pages live")
    if result.problems:
        ctx.exit(EXIT_FINDINGS)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@click.pass_context
def serve(ctx, port, bind):
    """Preview the published site on localhost."""
    import os

    from l10n_tool.publish.serve import serve as do_serve

    project = _project(ctx)
    out = project.settings.output_dir
    if not (out / "index.html").exists():
        raise L10nError("nothing published yet; run `l10n publish` first", out)
    do_serve(out, bind, port, lambda url: click.echo(
        f"serving {os.path.relpath(out, project.settings.root)} at {url} (Ctrl-C to stop)"))


@cli.command()
@click.option("-l", "--locale", "locale", required=True, metavar="LOCALE", help="Target locale.")
@click.option("--engine", default=None, metavar="NAME",
              help=f"MT engine: {', '.join(MT_ENGINES)} (default: [tool.l10n.mt] engine, "
                   "else argos).")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="Engine option (repeatable), as in [tool.l10n.mt.<engine>].")
@click.option("--beam", default=None, metavar="N", help="Engine option beam (1 is greedy and fastest).")
@click.option("--threads", default=None, metavar="N", help="Engine option threads (0: one per core).")
@click.option("--batch-size", default=None, metavar="N", help="Engine option batch_size.")
@click.option("--device", default=None, metavar="DEVICE", help="Engine option device: cpu, cuda or auto.")
@click.option("--executor", default=None, metavar="NAME",
              help="Where the engine runs: local (default) or ray.")
@click.option("--address", default=None,
              help="Ray cluster address (default: [tool.l10n.mt] address, RAY_ADDRESS, or a "
                   "local cluster).")
@click.option("--workers", type=click.IntRange(0, 4096), default=None,
              help="Ray actors (0: one per `threads` CPUs of the cluster).")
@click.option("--refresh-drafts", is_flag=True,
              help="Also re-translate entries that are still unreviewed MT drafts.")
@click.pass_context
def translate(ctx, locale, engine, options, beam, threads, batch_size, device, executor, address,
              workers, refresh_drafts):
    """Fill untranslated entries with fuzzy machine-translated drafts (offline)."""
    from l10n_tool.mt import settings as mt_settings
    from l10n_tool.mt.cache import MTCache
    from l10n_tool.mt.executors import create as create_executor
    from l10n_tool.steps import translate as step

    project = _project(ctx)
    s = project.settings
    target = project.locales((locale,))[0]
    cli_options = mt_settings.parse_cli_options(options)
    for key, value in (("beam", beam), ("threads", threads), ("batch_size", batch_size),
                       ("device", device)):
        if value is not None:
            cli_options[key] = (value, f"--{key.replace('_', '-')}")
    mt = mt_settings.load(s, engine, executor, address, workers, cli_options)
    glossary = project.glossary()
    spec = mt.spec(get_locale(s.source_locale).argos_code, target.argos_code)
    engine_ = spec.create()
    with MTCache(s.cache_dir / "mt.sqlite") as cache:
        plan = step.plan(project, target, engine_, glossary, cache, refresh_drafts)
        runner = create_executor(mt.executor, mt) if plan.total else None
        bar = (click.progressbar(length=plan.total, label=f"translating {target.code}",
                                 file=sys.stderr)
               if plan.total and sys.stderr.isatty() else contextlib.nullcontext())
        with step.interruptible() as stop, bar as progress:
            for done in step.run(plan, engine_, glossary, cache, runner, spec, stop):
                if progress is not None:
                    progress.update(done)
        summary = step.write(project, plan)
    rate = summary.translated / summary.seconds if summary.seconds else 0.0
    where = f" {runner.describe()}" if runner and runner.describe() else ""
    click.echo(f"{target.code}: {summary.pending} pending, {summary.cached} from cache, "
               f"{summary.translated} translated by {plan.identity}{where} in "
               f"{summary.seconds:.1f} s ({rate:.1f} units/s); {summary.problems} with problems; "
               f"{len(summary.files_written)} files written")
    if summary.interrupted:
        click.echo(f"interrupted: {summary.translated} of {plan.total} units translated and "
                   f"saved; run again to resume", err=True)
        ctx.exit(130)


@cli.command()
@with_locales
@click.option("--format", "fmt", type=_ReportFormat(), default="text",
              show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--min-complete", type=click.FloatRange(0, 100), default=None,
              help="Error when a page has a smaller share of reviewed entries (percent).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report to a file (atomically) instead of stdout.")
@click.option("--select", multiple=True, metavar="ID",
              help="Run only this check (repeatable; replaces [tool.l10n.check] select).")
@click.option("--ignore", multiple=True, metavar="ID", help="Skip this check (repeatable).")
@click.option("--list", "list_checks", is_flag=True,
              help="List the checks (id, severity, title) and exit.")
@click.option("--no-cache", is_flag=True,
              help="Check every catalog afresh instead of reusing results for unchanged files.")
@click.pass_context
def check(ctx, locales, all_locales, fmt, strict, min_complete, output, select, ignore,
          list_checks, no_cache):
    """QA gate for CI over every catalog in locales/. Exit 1 on errors."""
    from l10n_tool.checks.report import render
    from l10n_tool.fsutil import write_atomic
    from l10n_tool.steps.check import check as do_check, listing

    if output is not None and not output.strip():
        # as a Path, -o '' (an unset CI variable: -o "$REPORT") is ".", which
        # write_atomic then tried to replace
        raise click.BadParameter("needs a file name, not an empty string",
                                 param_hint="'-o' / '--output'")
    project = _project(ctx)
    if list_checks:
        for check_id, severity, title in listing(project):
            click.echo(f"{check_id:<22} {severity:<8} {title}")
        return
    run = do_check(project, locales, all_locales, min_complete, select, ignore,
                   use_cache=not no_cache)
    report = render(run, fmt, strict)
    if output is not None:
        write_atomic(Path(output), report + "\n")
    elif report:
        click.echo(report)
    if run.failed(strict):
        ctx.exit(EXIT_FINDINGS)


@cli.group()
def models():
    """Argos model packages: list, install, remove."""


@models.command("list")
def models_list():
    """Installed packages and their language pairs."""
    from l10n_tool.mt import models as m

    packages = m.installed()
    if not packages:
        click.echo(f"no packages installed in {', '.join(str(d) for d in m.package_dirs())}")
    for p in packages:
        click.echo(f"{p.pair:<10} {p.code:<28} {p.version:<8} {p.path}")


@models.command("install")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--from-index", nargs=2, metavar="FROM TO", default=None,
              help="Download FROM→TO from the Argos package index. NEEDS THE NETWORK.")
def models_install(path, from_index):
    """Install a .argosmodel file or package folder (offline), or --from-index."""
    from l10n_tool.mt import models as m

    if bool(path) == bool(from_index):
        raise L10nError("give a PATH, or --from-index FROM TO")
    pkg = m.install(path) if path else m.install_from_index(*from_index)
    click.echo(f"installed {pkg.code} {pkg.version} ({pkg.pair}) in {pkg.path}")


@models.command("remove")
@click.argument("which")
def models_remove(which):
    """Remove a package by code or pair (en:zh)."""
    from l10n_tool.mt import models as m

    for p in m.remove(which):
        click.echo(f"removed {p.code} ({p.pair}) from {p.path.parent}")


def main() -> None:
    cli.main(prog_name="l10n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
