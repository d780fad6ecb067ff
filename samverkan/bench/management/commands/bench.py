"""`samverkan bench`: time the main pages and API endpoints on synthetic national-scale data.

Runs against a separate, throwaway database (never the configured one): ``var/bench.sqlite3`` on
SQLite, ``test_<name>_bench`` on PostgreSQL. See samverkan/core/bench.py to add scenarios.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings

from samverkan.bench import curve, generator, load, runner
from samverkan.core.bench import FLOOR, BenchContext, bench_collaborations, load_scenarios


class Command(BaseCommand):
    help = (
        "Benchmark the main pages and API endpoints on synthetic data (all 290 kommuner by default) "
        "in a separate, throwaway database. Prints median/p95/min/max per scenario, the ratio to the "
        "cheapest authenticated page (floor) and SQL queries per request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kommuner", type=int, default=None, help="Number of kommuner/collaborations (default 290)."
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="Small preset for tests: 5 kommuner × 5 organisations × 8 users × 6 notices.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=f"Years of monthly lägesbild rounds (1–{generator.MAX_YEARS}; default 5), with events for "
            "that span.",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=None,
            help=f"Timed runs per scenario (default 30; {curve.DEFAULT_RUNS} per point with --curve).",
        )
        parser.add_argument(
            "--warmup", type=int, default=3, help="Untimed warm-up runs per scenario (default 3)."
        )
        parser.add_argument(
            "--scenario",
            action="append",
            dest="scenarios",
            metavar="NAME",
            help="Run only this scenario (repeatable); floor always runs.",
        )
        parser.add_argument("--list", action="store_true", help="List the scenarios and exit.")
        parser.add_argument("--json", dest="json_path", metavar="PATH", help="Also write the report as JSON.")
        parser.add_argument(
            "--seed", type=int, default=generator.DEFAULT_SEED, help="Random seed of the data."
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Reuse the bench database if it is already filled at this scale, and keep it afterwards.",
        )
        load = parser.add_argument_group(
            "load",
            "--load serves the bench database with gunicorn as `samverkan serve` does (SAMVERKAN_DEBUG=false, "
            "a loopback port) and drives the floor view, the joint picture, the report form, the start page, "
            "the portal and the API's picture with wrk, one after another; --scenario picks targets.",
        )
        load.add_argument("--load", action="store_true", help="Run the load bench instead of the scenarios.")
        load.add_argument("--duration", type=int, default=10, help="Seconds of load per target (default 10).")
        load.add_argument(
            "--connections", type=int, default=50, help="Open connections wrk keeps (default 50)."
        )
        load.add_argument(
            "--timeout", type=int, default=10, help="Seconds before wrk counts a request as timed out."
        )
        load.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn worker processes (default: 1 on SQLite, which allows one, 2 on PostgreSQL).",
        )
        load.add_argument("--threads", type=int, default=8, help="Threads per worker (default 8, as serve).")
        curve_group = parser.add_argument_group(
            "curve",
            "--curve times the scenarios on several data sets and prints, per axis, how each grows: "
            "collaborations (each with five years of rounds) and years of rounds (at a fixed number of "
            "collaborations). Each point has its own bench database (kept and reused with --keep); a point "
            "both axes share is timed once. The import scenario is left out unless named with --scenario.",
        )
        curve_group.add_argument("--curve", action="store_true", help="Run the scale curve.")
        curve_group.add_argument(
            "--curve-kommuner",
            default=",".join(str(n) for n in curve.DEFAULT_KOMMUNER_POINTS),
            metavar="N,N,…",
            help="Collaborations at each point of the first axis (default %(default)s; '' leaves the axis out). "
            "290 takes minutes to generate.",
        )
        curve_group.add_argument(
            "--curve-years",
            default=",".join(str(n) for n in curve.DEFAULT_YEARS_POINTS),
            metavar="N,N,…",
            help="Years of rounds at each point of the second axis (default %(default)s; '' leaves it out).",
        )
        curve_group.add_argument(
            "--curve-years-kommuner",
            type=int,
            default=curve.DEFAULT_YEARS_KOMMUNER,
            metavar="N",
            help="Collaborations on the years axis (default %(default)s).",
        )
        curve_group.add_argument(
            "--curve-budget",
            type=float,
            default=curve.DEFAULT_BUDGET_S,
            metavar="SECONDS",
            help="Timed runs of a scenario at a point stop after this many seconds, after at least "
            f"{runner.BUDGET_MIN_RUNS} (default %(default)s).",
        )
        curve_group.add_argument(
            "--curve-passes",
            type=int,
            default=curve.DEFAULT_PASSES,
            metavar="N",
            help="Visit the points N times, forth and back, and time each scenario over all visits, so that "
            "a changing machine load weighs on every point alike (default %(default)s; 1–5).",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Use the current database instead of a throwaway one (for tests, whose database is already "
            "a test database). Never use it on a real database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        scenarios = load_scenarios()
        if options["list"]:
            for s in scenarios.values():
                self.stdout.write(f"{s.name:<22} {s.description}")
            return
        if options["curve"]:
            self._curve(scenarios, options)
            return
        options["runs"] = options["runs"] if options["runs"] is not None else 30
        if options["load"]:
            self._check_load_options(options)
            try:
                load.wrk_executable()  # before minutes of data generation, not after
            except load.LoadError as error:
                raise CommandError(str(error)) from error
            selected = [scenarios[FLOOR]]
        else:
            selected = self._select(scenarios, options["scenarios"])
        scale = self._scale(options)
        if options["runs"] < 1 or options["warmup"] < 0:
            raise CommandError("--runs must be at least 1 and --warmup at least 0.")
        if options["in_place"] and options["keep"]:
            raise CommandError("--keep and --in-place exclude each other.")
        verbosity = self.verbosity

        if options["in_place"]:
            report = self._bench(scale, selected, options, generation={"database_setup_seconds": 0.0})
        else:
            started = time.perf_counter()
            with runner.bench_database(keep=options["keep"], verbosity=verbosity) as name:
                setup = time.perf_counter() - started
                if verbosity:
                    self.stderr.write(f"Bench database: {name} (set up in {setup:.1f} s)")
                report = self._bench(
                    scale, selected, options, generation={"database_setup_seconds": round(setup, 2)}
                )

        self.stdout.write("")
        self.stdout.write(runner.format_summary(report))
        self.stdout.write("")
        if "load" in report:
            self.stdout.write(load.format_load_table(report["load"]))
        else:
            self.stdout.write(runner.format_table(report))
        self._write_json(report, options)

    def _write_json(self, report: dict[str, Any], options: dict[str, Any]) -> None:
        if options["json_path"]:
            path = Path(options["json_path"]).resolve()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            self.stdout.write(f"\nJSON report: {path}")

    def _curve(self, scenarios: dict[str, Any], options: dict[str, Any]) -> None:
        for excluded in ("load", "kommuner", "years"):
            if options[excluded] not in (None, False):
                raise CommandError(
                    f"--curve chooses its own data sets; --{excluded} does not go with it "
                    "(use --curve-kommuner, --curve-years)."
                )
        if options["in_place"] and options["keep"]:
            raise CommandError("--keep and --in-place exclude each other.")
        runs = options["runs"] if options["runs"] is not None else curve.DEFAULT_RUNS
        if runs < 1 or options["warmup"] < 0:
            raise CommandError("--runs must be at least 1 and --warmup at least 0.")
        budget = options["curve_budget"]
        if not 0 < budget <= 600:
            raise CommandError("--curve-budget must be above 0 and at most 600 seconds.")
        if not 1 <= options["curve_passes"] <= 5:
            raise CommandError("--curve-passes must be between 1 and 5.")
        if not 1 <= options["curve_years_kommuner"] <= 290:
            raise CommandError("--curve-years-kommuner must be between 1 and 290.")
        try:
            axes = curve.plan(
                kommuner_points=curve.parse_points(
                    options["curve_kommuner"], low=1, high=290, option="--curve-kommuner"
                ),
                years_points=curve.parse_points(
                    options["curve_years"], low=1, high=generator.MAX_YEARS, option="--curve-years"
                ),
                years_kommuner=options["curve_years_kommuner"],
                base=generator.SMALL if options["small"] else generator.NATIONAL,
            )
        except curve.CurveError as error:
            raise CommandError(str(error)) from error
        selected = self._select(scenarios, options["scenarios"])
        if not options["scenarios"]:
            selected = [s for s in selected if s.name not in curve.SKIPPED_SCENARIOS]
        point_options = {**options, "runs": runs, "budget_s": budget}
        database: dict[str, Any] = {}

        def measure(point: curve.Point, *, first: bool, last: bool) -> dict[str, Any]:
            curve.forget_cached_pages()
            before = curve.load_average()
            if options["in_place"]:
                # The current database stays as it was: each point is generated and timed in a
                # transaction that is rolled back, so the next point starts without bench rows.
                with transaction.atomic():
                    report = self._bench(
                        point.scale, selected, point_options, {"database_setup_seconds": 0.0}
                    )
                    transaction.set_rollback(True)
            else:
                started = time.perf_counter()
                suffix = curve.database_suffix(point.scale)
                # Generated on the first visit, dropped after the last one unless --keep.
                with runner.bench_database(
                    keep=options["keep"] or not last,
                    reuse=options["keep"] or not first,
                    verbosity=0,
                    suffix=suffix,
                ) as name:
                    setup = time.perf_counter() - started
                    if self.verbosity:
                        self.stderr.write(f"Bench database: {name} (set up in {setup:.1f} s)")
                    report = self._bench(
                        point.scale, selected, point_options, {"database_setup_seconds": round(setup, 2)}
                    )
            report["load_average"] = {"before": before, "after": curve.load_average()}
            database.update(report["database"])
            return report

        def progress(point: curve.Point, visit: int, passes: int) -> None:
            if self.verbosity:
                self.stderr.write(
                    f"Point: {point.axis} = {point.size}, visit {visit} of {passes} ({point.scale.as_dict()})"
                )

        passes = options["curve_passes"]
        results = curve.run_curve(axes, measure, passes=passes, progress=progress)
        report = curve.build_curve_report(
            results, runs=runs, warmup=options["warmup"], budget_s=budget, passes=passes, database=database
        )
        self.stdout.write("")
        self.stdout.write(curve.format_curve(report))
        self._write_json(report, options)

    # --- Steps ---------------------------------------------------------------------------------

    def _check_load_options(self, options: dict[str, Any]) -> None:
        if not 1 <= options["duration"] <= 600:
            raise CommandError("--duration must be between 1 and 600 seconds.")
        if not 1 <= options["connections"] <= 1000:
            raise CommandError("--connections must be between 1 and 1000.")
        if not 1 <= options["timeout"] <= 120:
            raise CommandError("--timeout must be between 1 and 120 seconds.")
        if options["workers"] is not None and not 1 <= options["workers"] <= 32:
            raise CommandError("--workers must be between 1 and 32.")
        if not 1 <= options["threads"] <= 64:
            raise CommandError("--threads must be between 1 and 64.")

    def _select(self, scenarios: dict[str, Any], names: list[str] | None) -> list[Any]:
        if not names:
            return list(scenarios.values())
        unknown = sorted(set(names) - set(scenarios))
        if unknown:
            raise CommandError(f"Unknown scenario: {', '.join(unknown)}. Known: {', '.join(scenarios)}.")
        wanted = {FLOOR, *names}
        return [s for name, s in scenarios.items() if name in wanted]

    def _scale(self, options: dict[str, Any]) -> generator.Scale:
        scale = generator.SMALL if options["small"] else generator.NATIONAL
        if options["kommuner"] is not None:
            if not 1 <= options["kommuner"] <= 290:
                raise CommandError("--kommuner must be between 1 and 290.")
            scale = generator.Scale(
                kommuner=options["kommuner"],
                organisations=scale.organisations,
                users=scale.users,
                notices=scale.notices,
            )
        if options["years"] is not None:
            try:
                scale = generator.with_years(scale, options["years"])
            except ValueError as error:
                raise CommandError(f"--years: {error}") from error
        return scale

    def _prepare_data(self, scale: generator.Scale, options: dict[str, Any]) -> dict[str, Any]:
        """Generate the bench rows unless the database already holds them at this scale."""
        if generator.is_filled(scale):
            return {"reused": True, "seconds": 0.0}
        if generator.has_bench_data():
            if options["in_place"]:
                raise CommandError("The current database holds bench data at another scale; not touching it.")
            if self.verbosity:
                self.stderr.write("Bench database holds another scale; emptying it.")
            call_command("flush", interactive=False, verbosity=0)
        if self.verbosity:
            self.stderr.write(f"Generating {scale.as_dict()} …")
        started = time.perf_counter()
        created = generator.generate(scale, seed=options["seed"])
        generator.analyze()
        seconds = time.perf_counter() - started
        if self.verbosity:
            self.stderr.write(f"Generated {sum(created.values())} rows in {seconds:.1f} s.")
        return {
            "reused": False,
            "seconds": round(seconds, 2),
            "rows_created": created,
            "seed": options["seed"],
        }

    def _bench(
        self, scale: generator.Scale, selected: list[Any], options: dict[str, Any], generation: dict[str, Any]
    ) -> dict[str, Any]:
        generation.update(self._prepare_data(scale, options))
        collaborations = bench_collaborations().order_by("name")
        collaboration = collaborations[collaborations.count() // 2]
        counts = generator.database_counts()
        # Measure as production runs: no DEBUG query logging, no mail sent, no HTTPS redirect.
        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SECURE_SSL_REDIRECT=False,
        ):
            ctx = BenchContext.create(collaboration)

            def progress(result: runner.ScenarioResult) -> None:
                if self.verbosity:
                    self.stderr.write(
                        f"  {result.name:<22} median {result.stats.median:8.2f} ms  queries {result.queries}"
                    )

            try:
                results = runner.run_all(
                    selected,
                    ctx,
                    runs=options["runs"],
                    warmup=options["warmup"],
                    progress=progress,
                    budget_s=options.get("budget_s"),
                )
            except runner.BenchError as error:
                raise CommandError(str(error)) from error
            load_report = self._load(ctx, options) if options["load"] else None
        report = runner.build_report(
            results,
            runs=options["runs"],
            warmup=options["warmup"],
            scale=scale.as_dict(),
            counts=counts,
            generation=generation,
            persona={"role": "samordnare", "user": ctx.user.username, "collaboration": collaboration.name},
        )
        if load_report is not None:
            report["load"] = load_report
        return report

    def _load(self, ctx: BenchContext, options: dict[str, Any]) -> dict[str, Any]:
        def progress(result: dict[str, Any]) -> None:
            if self.verbosity:
                self.stderr.write(
                    f"  {result['name']:<22} {result['req_per_s']:8.1f} req/s  p50 {result['p50_ms']:.1f} ms"
                    f"  p99 {result['p99_ms']:.1f} ms  non-2xx {result['non_2xx']}"
                )

        workers = options["workers"] or (1 if connection.vendor == "sqlite" else 2)
        try:
            return load.run_load(
                ctx,
                names=options["scenarios"],
                duration=options["duration"],
                connections=options["connections"],
                timeout=options["timeout"],
                workers=workers,
                threads=options["threads"],
                progress=progress,
            )
        except load.LoadError as error:
            raise CommandError(str(error)) from error
