"""The base class of the datamodel-code-generator style's models with tag fields.

datamodel-code-generator writes a single-valued tag as ``type: Literal["cat"] = "cat"``
and cannot add our ``__oagen_always_set__`` declaration, so the tag fields are found
when the class is created: every field annotated with a one-value ``Literal`` whose
default is that value.  They are always serialised (see ``_models.TaggedModel``), so a
model built without its tag still sends it.  The generator gives this base only to the
models that have tags, the others derive from ``_models.BaseModel``.
"""

from __future__ import annotations

import typing
from typing import Any

from ._models import TaggedModel

__all__ = ["AutoTaggedModel"]


class AutoTaggedModel(TaggedModel):
    """A :class:`TaggedModel` that finds its tag fields itself."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        tags = []
        for name, info in cls.model_fields.items():
            if typing.get_origin(info.annotation) is typing.Literal:
                values = typing.get_args(info.annotation)
                if len(values) == 1 and info.default == values[0]:
                    tags.append(name)
        cls.__oagen_always_set__ = tuple(tags)
