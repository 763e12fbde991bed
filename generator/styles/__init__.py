"""Model styles: how the schemas of a spec become Python types in the generated package.

A style decides three things and nothing else:

* which files hold the models (``render_models``: relative path -> unformatted text,
  rendered from its own templates, usually ``models.py``);
* which runtime modules replace or join the shared ones in ``templates/runtime``
  (``runtime_dir``, relative to the templates folder: at least a ``_models.py`` with
  the contract the rest of the runtime uses: ``decode``, ``decode_lenient``,
  ``DecodeError``, ``is_model``, ``dump_model``, ``model_parts``);
* how a discriminated union is annotated (``discriminated_unions``: pydantic's
  ``Annotated[Union[...], Discriminator(...)]`` or a plain union whose dispatch the
  style's own code does).

Everything else (resources, the client, the runtime's HTTP side, naming, selection)
is shared by every style.  The registry maps the name used in the config
(``models = "..."``) and on the command line (``--models``) to the style.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import jinja2

    from .. import ir


@dataclass(frozen=True)
class ModelsInput:
    """What a style's ``render_models`` gets."""

    env: jinja2.Environment  # the template environment (user --templates folders first)
    api: ir.Api
    types: Any  # generator.render.Types for this style (records the names used)
    common: dict[str, Any]  # the context every template gets (header, client, ...)
    spec_root: Any  # the loaded spec document (for styles that run a tool on the spec itself)


@dataclass(frozen=True)
class ModelStyle:
    name: str
    summary: str
    # What the generated package needs at run time, besides httpx (for its README).
    requirements: tuple[str, ...]
    # Runtime modules of this style, relative to the templates folder; files there
    # replace the shared runtime modules of the same name.
    runtime_dir: str | None
    discriminated_unions: bool
    render_models: Callable[[ModelsInput], dict[str, str]]


# name -> module of generator.styles defining STYLE
_MODULES = {
    "pydantic": "pydantic_style",
    "dataclasses": "dataclasses_style",
    "msgspec": "msgspec_style",
    "datamodel-code-generator": "dcg_style",
}
# Styles the command line accepts in its help text; not yet built ones are refused.
STYLE_NAMES = ("pydantic", "dataclasses", "msgspec", "datamodel-code-generator")


def available() -> tuple[str, ...]:
    return tuple(n for n in STYLE_NAMES if n in _MODULES)


def get(name: str) -> ModelStyle:
    """The style called ``name``; KeyError if there is none."""
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    style: ModelStyle = module.STYLE
    return style
