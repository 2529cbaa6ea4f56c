"""Start-up: leave options that were not given alone instead of coercing their default.

Typer 0.29 coerces every parameter's value through a pydantic TypeAdapter, even an option left
at its default of None, and importing pydantic for that costs ~100 ms of CPU on every command.
A missing optional value needs no coercion (None is None), so for those this skips straight
to the parameter's own callback; anything given on the command line is coerced as before.
"""

from __future__ import annotations

from typing import Any


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
    if getattr(param, "_cjstudy_lazy", False) or not hasattr(param, "process_value") or param.required:
        return
    original = param.process_value

    def process_value(ctx: Any, value: Any) -> Any:
        missing = value is None or (value in ((), []) and (param.multiple or param.nargs != 1))
        if missing and param.default is None:  # not given: the default None, as Typer would give it
            return param.callback(ctx, param, None) if param.callback is not None else None
        return original(ctx, value)

    param.process_value = process_value
    param._cjstudy_lazy = True
