"""The command line of ``pemilu-recap``: its options (:func:`build_parser`) and :func:`main`.

``main`` reads the command line, finds the notebooks, reads the parameters, chooses the scopes,
then runs the batch, which first checks the input files of every province once (:func:`helpers.batch.run.run_batch`); a
problem with any of these is one ``pemilu-recap: error:`` line and exit status 2, no traceback.
``pemilu-recap template ...`` writes an Excel template instead (:func:`helpers.io.excel_template.main`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from helpers.core import paths
from helpers.batch import output_folder, publish, run
from helpers.batch.errors import EXIT_USAGE, UsageError
from helpers.batch.inputs import InputsRejected
from helpers.batch.params import load_parameters
from helpers.batch.scopes import (NATIONAL, available_scopes, find_notebooks, notebook_scope, province_scopes,
    runs_of, select_scopes)
from helpers.io.excel_template import main as template_main


def build_parser() -> argparse.ArgumentParser:
    """The options of ``pemilu-recap`` (``pemilu-recap --help``).

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="pemilu-recap",
        usage="%(prog)s [options]\n       %(prog)s template {sites,facilities,tps} FILE.xlsx [--provinsi NAME] "
              "[--language {id,en}] [--force]",
        description="Run every notebook for all of DKI Jakarta and for each of the 6 kota/kabupaten administrasi\n"
                    "with papermill, and build a browsable report (index.html) with the executed notebooks, reader\n"
                    "reports (HTML, optionally PDF), maps, tables and a run manifest.\n\n"
                    "pemilu-recap template writes instead an Excel template (.xlsx) for an office to fill in with\n"
                    "its own list, then give with -p sites_path / facilities_path / tps_path (see pemilu-recap\n"
                    "template --help).",
        epilog="commands:\n"
               "  template {sites,facilities,tps} FILE.xlsx   write an Excel template of PPK sites, facilities or "
               "TPS per kelurahan,\n"
               "                                             with drop-downs of the province's units "
               "(--provinsi) and checked coordinates\n\n"
               "examples:\n"
               "  pemilu-recap template sites lokasi_ppk.xlsx --provinsi \"Maluku Utara\"\n"
               "  pemilu-recap --output output\n"
               "  pemilu-recap --kota jakpus \"Kepulauan Seribu\" --output /tmp/report -p language en\n"
               "  pemilu-recap -f params.yaml -p sites_path my_sites.xlsx --jobs 2\n"
               "  pemilu-recap --kota dki --pdf -p language en\n"
               "  pemilu-recap --dask-workers 2 --output output   (or --scheduler tcp://HOST:8786)\n"
               "exit status: 0 all runs succeeded, 1 a notebook failed (see index.html), "
               "2 bad command line or input, 130 interrupted (previous report unchanged)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinsi", nargs="+", action="extend", metavar="NAME",
                        help="run provinces instead of DKI Jakarta: \"all\" = the 38 provinces, each as a whole "
                             "(DKI Jakarta as dki); a province name or code (\"Jawa Barat\", \"malut\", \"82\") = that "
                             "province and every one of its kab/kota; --kota then chooses among those scopes")
    parser.add_argument("--kota", nargs="+", action="extend", metavar="NAME",
                        help="run only these scopes: kota names matched leniently (\"Jakarta Pusat\", "
                             "\"Kota Adm. Jakarta Pusat\", jakpus) or \"dki\" for the whole province; "
                             "default: dki and all 6 kota")
    parser.add_argument("--notebooks", nargs="+", metavar="PATH",
                        help=f"notebook files or folders (default: {paths.NOTEBOOKS})")
    parser.add_argument("--output", "-o", default=str(paths.OUTPUT), metavar="DIR",
                        help=f"report folder, replaced as a whole at the end (default: {paths.OUTPUT})")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        dest="parameters", help="notebook parameter; VALUE is read as YAML "
                        "(3, true, None, [a, b], {k: v}); may be repeated")
    parser.add_argument("-f", "--parameters-file", action="append", metavar="PARAMS.YAML", dest="files",
                        help="YAML file of notebook parameters (name: value); -p wins")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="notebook runs in parallel (default: number of cores, %(default)s here)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--offline", dest="offline", action="store_true", default=True,
                       help="maps embed Leaflet's JavaScript/CSS, so they open without a network "
                            "(basemap tiles still need one) (default)")
    group.add_argument("--online", dest="offline", action="store_false",
                       help="maps load Leaflet from a CDN (smaller files)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="fail a cell that runs longer than this (default: no limit)")
    parser.add_argument("--no-progress", dest="progress", action="store_false", default=None,
                        help="no progress bar")
    parser.add_argument("--pdf", action="store_true",
                        help="also print each scope's reader reports into <scope>/report.pdf with headless "
                             "Chromium (package chromium, or $CHROMIUM); without Chromium: a warning, no PDF")
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run the notebooks on an existing Dask distributed cluster instead of local "
                             "processes (--jobs does not apply); workers need this package, the notebooks at "
                             "the same path and --output on a shared filesystem (README, 'The batch report')")
    engine.add_argument("--dask-workers", type=int, metavar="N",
                        help="run the notebooks on a Dask LocalCluster of N worker processes (1 thread each) "
                             "started and closed by this command (--jobs does not apply)")
    parser.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="with --scheduler: give up when the scheduler, or its first worker, is not there "
                             "within this time (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``pemilu-recap``; returns the exit code.

    ``pemilu-recap template sites|facilities|tps FILE.xlsx`` writes an Excel template instead
    (:func:`helpers.io.excel_template.main`).

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 every run succeeded, 1 a notebook failed, 2 bad command line or input, 130 interrupted.
    """
    args_in = sys.argv[1:] if argv is None else list(argv)
    if args_in[:1] == ["template"]:

        return template_main(args_in[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.dask_workers is not None and args.dask_workers < 1:
        parser.error("--dask-workers must be at least 1")
    dask = ({"scheduler": args.scheduler, "connect_timeout": args.connect_timeout} if args.scheduler else
            {"n_workers": args.dask_workers} if args.dask_workers else None)
    try:
        notebooks = find_notebooks(args.notebooks)
        parameters = load_parameters(args.files, args.parameters)
        all_scopes = province_scopes(args.provinsi) if args.provinsi else available_scopes()
        if any(notebook_scope(nb) == "national" for nb in notebooks):
            all_scopes = [*all_scopes, NATIONAL]
        scopes = select_scopes(args.kota, all_scopes)
        if not runs_of(scopes, notebooks):
            raise UsageError("nothing to run: the notebooks given cover all of Indonesia and the scopes chosen are "
                             'DKI scopes, or the reverse (use --kota national for the national overview)')
        # every input file of every province of the batch is checked once, before any notebook runs
        # (run_batch: helpers.batch.inputs.prepare_inputs), and the runs read what was loaded then
        return run.run_batch(notebooks, scopes, Path(args.output), parameters, jobs=args.jobs,
                             offline=args.offline, timeout=args.timeout,
                             command=["pemilu-recap", *(sys.argv[1:] if argv is None else argv)],
                             progress=args.progress, pdf=args.pdf, dask=dask)
    except InputsRejected as exc:
        print(f"pemilu-recap: error: the input files have problems; no notebook was run and the previous report "
              f"(if any) is unchanged.\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"pemilu-recap: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # disk full or a permission met while building: one line, no traceback
        output = Path(args.output).resolve()
        if not output_folder.is_output_error(exc, output):
            raise
        shutil.rmtree(publish.build_folder(output), ignore_errors=True)
        print(f"pemilu-recap: error: {output_folder.output_error(exc, output, 'write the report')}", file=sys.stderr)
        return EXIT_USAGE
