"""The default model style: pydantic v2 models and open enums (``templates/models.py.jinja``)."""

from __future__ import annotations

from . import ModelsInput, ModelStyle


def render_models(inp: ModelsInput) -> dict[str, str]:
    from ..render import _typing_names, model_views

    enums, models, aliases = model_views(inp.api, inp.types)
    model_text = " ".join(
        [f.annotation for m in models for f in m.fields]
        + [m.extra_annotation or "" for m in models]
        + [a.annotation for a in aliases]
    )
    text = inp.env.get_template("models.py.jinja").render(
        **inp.common, enums=enums, models=models, aliases=aliases,
        typing_names=sorted(_typing_names(model_text)),
        model_flags={
            "datetime": "datetime." in model_text,
            "uuid": "uuid." in model_text,
            "discriminator": "Discriminator(" in model_text,
            "pydantic": sorted(
                (["Discriminator", "Tag"] if "Discriminator(" in model_text else [])
                + (["Field"] if any(f.alias for m in models for f in m.fields)
                   or any(m.extra_annotation for m in models) else [])
            ),
            "enum_bases": sorted({e.base for e in enums}),
            "model_bases": sorted({"TaggedModel" if m.always_set else "BaseModel" for m in models}) or ["BaseModel"],
        },
        all_names=sorted([e.name for e in enums] + [m.name for m in models] + [a.name for a in aliases]),
    )
    return {"models.py": text}


STYLE = ModelStyle(
    name="pydantic",
    summary="pydantic v2 models with open enums (the default)",
    requirements=("httpx>=0.27", "pydantic>=2.7"),
    runtime_dir=None,  # the shared templates/runtime/_models.py is pydantic's
    discriminated_unions=True,
    render_models=render_models,
)
