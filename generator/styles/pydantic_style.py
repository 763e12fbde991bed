"""The default model style: pydantic v2 models and open enums.

The models are a package: ``models/<module>.py`` per group of definitions that the same
resources reach (:func:`generator.render.plan_model_modules`), each rendered by
``templates/models.py.jinja``, and ``models/__init__.py`` resolving names on first use, so
that using one resource builds only the models it can reach.
"""

from __future__ import annotations

from . import ModelsInput, ModelStyle


def render_models(inp: ModelsInput) -> dict[str, str]:
    from ..render import _render_model_views, group_model_views, model_views, plan_model_modules

    enums, models, aliases = model_views(inp.api, inp.types)
    resources = inp.common["resources"]
    plan = plan_model_modules(inp.api, {res.attr: res.imports for res in resources})
    grouped = group_model_views(plan.modules, enums, models, aliases)
    files = {
        f"models/{module.name}.py": _render_model_views(inp.env, inp.common, module, *grouped[module.name])
        for module in plan.modules
    }
    files["models/__init__.py"] = inp.env.get_template("models_init.py.jinja").render(**inp.common, plan=plan)
    return files


STYLE = ModelStyle(
    name="pydantic",
    summary="pydantic v2 models with open enums (the default)",
    requirements=("httpx>=0.27", "pydantic>=2.7"),
    runtime_dir=None,  # the shared templates/runtime/_models.py is pydantic's
    discriminated_unions=True,
    render_models=render_models,
)
