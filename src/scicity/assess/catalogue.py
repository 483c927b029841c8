"""The catalogue of assessment methods. Built-in methods are added to it like any third party's.

A method is a function ``fn(case, options) -> Verdict`` that judges a prepared
:class:`~scicity.assess.case.Case` (at least two judged points, plan period not
over). Guards (too little data, final verdict, already achieved, "hold") are
applied by the framework, the same for every method; the method supplies the
native labels it uses for them. A method may also supply ``batch_fn(batch_case,
options) -> MethodArrays`` for the vectorised path; without one,
:func:`scicity.assess.assess_batch` falls back to calling ``fn`` per series.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scicity.assess.batch import BatchCase, MethodArrays
    from scicity.assess.case import Case
    from scicity.assess.types import Verdict

MethodFn = Callable[["Case", Any], "Verdict"]
BatchFn = Callable[["BatchCase", Any], "MethodArrays"]

#: Native labels used for guard outcomes unless a method names its own.
DEFAULT_GUARD_LABELS: Mapping[str, str] = {
    "achieved": "target achieved",
    "missed": "target missed",
    "hold": "no longer meets target",
    "insufficient_data": "insufficient data",
}


@dataclass(frozen=True)
class MethodInfo:
    """A registered method."""

    name: str
    fn: MethodFn
    batch_fn: BatchFn | None
    description: str
    native_labels: tuple[str, ...]
    guard_labels: Mapping[str, str]
    default_options: Any = None
    achieved_score: float | None = None
    options_type: type | None = field(default=None)
    title: str = ""  # the method's name for people (English; translated at the edge); the id when empty

    @property
    def display_title(self) -> str:
        return self.title or self.name

    def label_code(self, label: str) -> int:
        return self.native_labels.index(label)


_REGISTRY: dict[str, MethodInfo] = {}
_BUILTINS_LOADED = False
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def register_method(
    name: str,
    fn: MethodFn,
    *,
    batch_fn: BatchFn | None = None,
    description: str = "",
    native_labels: tuple[str, ...] = (),
    guard_labels: Mapping[str, str] | None = None,
    default_options: Any = None,
    achieved_score: float | None = None,
    replace: bool = False,
    title: str = "",
) -> None:
    """Register an assessment method under ``name``.

    ``native_labels`` lists every native label the method can return (batch
    results encode labels as indexes into it); guard labels missing from it are
    appended. ``default_options`` is passed to ``fn``/``batch_fn`` when the caller
    gives no options; when it is a dataclass instance, callers' options must be of
    the same type. ``achieved_score`` is the score reported whenever the target is
    met (open-sdg reports 5). ``title`` names the method for people (English; the
    outer layers translate it); the name is shown when it is empty.
    """
    _load_builtins()
    if not _NAME.match(name):
        raise ValueError(f"method name {name!r} must be lower-case letters, digits and '_', starting with a letter")
    if not callable(fn):
        raise TypeError(f"method {name!r}: fn must be callable, got {type(fn).__name__}")
    if batch_fn is not None and not callable(batch_fn):
        raise TypeError(f"method {name!r}: batch_fn must be callable, got {type(batch_fn).__name__}")
    if name in _REGISTRY and not replace:
        raise ValueError(f"method {name!r} is already registered; pass replace=True to override it")
    guards = dict(DEFAULT_GUARD_LABELS)
    if guard_labels:
        unknown = set(guard_labels) - set(DEFAULT_GUARD_LABELS)
        if unknown:
            raise ValueError(f"method {name!r}: unknown guard label keys {sorted(unknown)}; use {sorted(DEFAULT_GUARD_LABELS)}")
        guards.update(guard_labels)
    labels = list(native_labels)
    for label in guards.values():
        if label not in labels:
            labels.append(label)
    _REGISTRY[name] = MethodInfo(
        name=name,
        fn=fn,
        batch_fn=batch_fn,
        description=description,
        native_labels=tuple(labels),
        guard_labels=guards,
        default_options=default_options,
        achieved_score=achieved_score,
        options_type=type(default_options) if default_options is not None else None,
        title=title,
    )


def unregister_method(name: str) -> None:
    """Remove a method (built-ins included); mostly for tests and plugins that replace one."""
    _load_builtins()
    _REGISTRY.pop(name, None)


def methods() -> list[str]:
    """Registered method names, the recommended default ``projection`` first."""
    _load_builtins()
    names = list(_REGISTRY)
    if "projection" in names:
        names.remove("projection")
        names.insert(0, "projection")
    return names


def get_method(name: str) -> MethodInfo:
    """The registered method ``name``; a clear error listing the known ones otherwise."""
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown assessment method {name!r}; known methods: {', '.join(methods())}") from None


def resolve_options(info: MethodInfo, options: Any) -> Any:
    """The options a method runs with: the caller's, checked against the method's type, or its defaults."""
    if options is None:
        return info.default_options
    if info.options_type is not None and not isinstance(options, info.options_type):
        raise TypeError(
            f"method {info.name!r} takes options of type {info.options_type.__name__}, "
            f"got {type(options).__name__}"
        )
    return options


def _load_builtins() -> None:
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED = True
    from scicity.assess.builtin import register_builtins

    register_builtins()
