"""Entry point: ``sti-review`` and ``python -m sti_review``.

``--version`` is answered before anything heavy is imported, so it stays fast.

The command-line process is short-lived, so its start-up is trimmed (issue 17); none of this
applies to a library user, who never runs ``main()``:
- the cyclic garbage collector is off while the modules are imported, then every object made
  so far is frozen (never scanned again) and the collector comes back with a high threshold;
- pydantic's plugin loader is replaced by one that finds no plugins without importing
  ``importlib.metadata`` (sti-review uses no pydantic plugins);
- rich's emoji table is replaced by an empty one: ``:name:`` in a proposal's text is shown as
  the author typed it, never turned into a picture;
- pydantic models are built on first use (``defer_build``), not at import;
- the validated rubric is kept on disk between runs (``rubric_cache``), so a run reads the
  rubric's YAML files only when one of them changed;
- the methods ``dataclasses`` writes and the annotations ``typing`` compiles are kept compiled
  on disk between runs (``code_cache``).
"""

from __future__ import annotations

import sys

_STUB_MODULES: dict[str, dict[str, object]] = {
    "pydantic.plugin._loader": {
        "get_plugins": lambda: (),
        "PYDANTIC_ENTRY_POINT_GROUP": "pydantic",
    },
    "rich._emoji_codes": {"EMOJI": {}},
}


class _Stubs:
    """Supplies two modules, when (and only when) they are imported, in place of costly ones:
    pydantic's plugin loader, which finds plugins through importlib.metadata (~10 ms on the first
    model; sti-review uses no pydantic plugins), and rich's emoji table (~7 ms; ``:name:`` in a
    proposal's text is then shown as the author typed it)."""

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> object:
        if name not in _STUB_MODULES:
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, cls)  # type: ignore[arg-type]

    @staticmethod
    def create_module(spec: object) -> None:
        return None

    @classmethod
    def exec_module(cls, module: object) -> None:
        vars(module).update(_STUB_MODULES[module.__name__])  # type: ignore[attr-defined]


class _DeferModelBuilds:
    """When (and only when) pydantic's config module is imported, make ``defer_build`` its
    default: models are built when first used, not when their module is imported, so a command
    never pays for the models it does not validate, and a rubric read from the disk cache
    (never validated) does not build the rubric's dozen models at all. pydantic has no public
    switch for every model at once; if this private default moves, only the speed-up is lost."""

    NAME = "pydantic._internal._config"

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> object:
        if name != cls.NAME:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)  # type: ignore[arg-type]
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        real_exec = spec.loader.exec_module

        def exec_module(module: object) -> None:
            real_exec(module)  # type: ignore[arg-type]
            defaults = getattr(module, "config_defaults", None)
            if isinstance(defaults, dict) and "defer_build" in defaults:
                defaults["defer_build"] = True

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _trim_start_up() -> None:
    import os

    # Only the command-line process is affected, never a library user's.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    sys.meta_path.insert(0, _Stubs)  # type: ignore[arg-type]
    sys.meta_path.insert(0, _DeferModelBuilds)  # type: ignore[arg-type]


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"sti-review {__version__}\n")
        return
    import gc

    gc.disable()
    _trim_start_up()
    from . import code_cache

    code_cache.enable()  # dataclasses' and typing's compiled snippets kept on disk between runs
    # A terminal or pipe that cannot show Japanese (PYTHONIOENCODING=ascii, an old Windows code
    # page) gets \u escapes for what it cannot show, instead of a crash in the middle of a report.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")
    from . import rubric_cache

    # a validated rubric is kept on disk between runs, and so are the parsed catalogues and
    # line breaks (they look at this switch); before importing the CLI, whose help texts
    # already need a catalogue
    rubric_cache.enable()
    from .cli import run
    from .i18n import pin_environment

    pin_environment()

    # The modules just imported live as long as the process: freeze them so that no collection
    # scans them again, and collect only rarely (a command makes few cycles; reading a large
    # call pauses the collector on its own).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    gc.enable()
    run()


if __name__ == "__main__":
    main()
