"""Start-up: leave options that were not given alone instead of coercing their default.

Typer 0.29 coerces every parameter's value through a pydantic TypeAdapter, even an option left
at its default of None, and importing pydantic for that costs ~100 ms of CPU on every command.
A missing optional value needs no coercion (None is None), and neither does text given for a
text parameter, so for those this skips straight to the parameter's own callback; anything
else given on the command line is coerced as before.
"""

from __future__ import annotations

from typing import Any

PLAIN = (str, bool)  # parameter types whose given value already is what the command receives


def skip_coercing_missing(command: Any) -> None:
    """Wrap `process_value` of the command's optional parameters, `--help` included (once;
    nothing happens if Typer's internals change)."""
    for param in getattr(command, "params", []):
        _wrap(param)
    get_help_option = getattr(command, "get_help_option", None)
    if get_help_option is not None and not getattr(command, "_cjstudy_lazy_help", False):
        def help_option(ctx: Any, original: Any = get_help_option) -> Any:
            option = original(ctx)
            if option is not None:
                _wrap(option)
            return option

        command.get_help_option = help_option
        command._cjstudy_lazy_help = True


def _wrap(param: Any) -> None:
    # A value that already is what a plain text or flag parameter holds needs no coercion
    # either (`grade ADDRESS ANSWER --json` paid ~60 ms of pydantic for two strings and a bool).
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    plain = annotation if annotation in PLAIN and getattr(param, "nargs", 1) == 1 and not getattr(
        param, "multiple", False) else None
    if getattr(param, "_cjstudy_lazy", False) or not hasattr(param, "process_value") or (
            param.required and plain is None):
        return
    original = param.process_value

    def process_value(ctx: Any, value: Any) -> Any:
        if plain is not None and type(value) is plain:
            return param.callback(ctx, param, value) if param.callback is not None else value
        missing = value is None or (value in ((), []) and (param.multiple or param.nargs != 1))
        if missing and param.default is None and not param.required:  # not given: None, as Typer gives it
            return param.callback(ctx, param, None) if param.callback is not None else None
        return original(ctx, value)

    param.process_value = process_value
    param._cjstudy_lazy = True
