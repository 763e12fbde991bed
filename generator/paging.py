"""Recognise list operations that page, and the boolean that switches a call to a stream.

Runs on the IR after parsing (it reads types, not OpenAPI).  Detection, in order:

* cursor: a query parameter ``after``, ``starting_after``, ``cursor``, ``page_token``,
  ``next_token`` or ``before_id``, and a response object with an array of items; the
  next cursor comes from ``last_id``, ``next_cursor``, ``next_page_token`` or ``next``
  when the response has one, else from the ``id`` of the last item; ``has_more``
  (or ``has_next``) says when to stop when present.
* offset: query parameters ``offset`` and ``limit`` (or ``skip``/``take``).
* page: a query parameter ``page`` (with ``page_size``, ``per_page`` or ``limit``).

The item list is the response property named ``data``, ``items``, ``results`` or
``objects``, else the response's only array property, else the body itself when it
is an array (offset and page styles only).  The configuration can set or switch off
the paging of any operation (``[tool.oagen.clients.pagination]``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from . import ir

CURSOR_PARAMS = ("after", "starting_after", "cursor", "page_token", "next_token", "continuation_token")
CURSOR_FIELDS = ("last_id", "next_cursor", "next_page_token", "next_token", "cursor", "next")
HAS_MORE_FIELDS = ("has_more", "has_next", "has_next_page")
ITEM_FIELDS = ("data", "items", "results", "objects", "list")
PAGE_SIZE_PARAMS = ("page_size", "per_page", "limit", "size")


def _resolve(api: ir.Api, t: ir.TypeRef | None) -> ir.TypeRef | None:
    seen = 0
    while isinstance(t, ir.NamedRef) and seen < 16:
        d = api.definition(t)
        if isinstance(d, ir.AliasDef):
            t, seen = d.type, seen + 1
        else:
            break
    if isinstance(t, ir.UnionType):
        non_null = [v for v in t.variants if v != ir.NONE]
        if len(non_null) == 1:
            return _resolve(api, non_null[0])
    return t


def _model(api: ir.Api, t: ir.TypeRef | None) -> ir.ModelDef | None:
    t = _resolve(api, t)
    if isinstance(t, ir.NamedRef):
        d = api.definition(t)
        if isinstance(d, ir.ModelDef):
            return d
    return None


def _items(api: ir.Api, result: ir.TypeRef | None) -> tuple[str | None, ir.TypeRef] | None:
    resolved = _resolve(api, result)
    if isinstance(resolved, ir.ArrayType):
        return None, resolved.item
    model = _model(api, result)
    if model is None:
        return None
    arrays = [(f.wire_name, _resolve(api, f.type)) for f in model.fields]
    arrays = [(name, t) for name, t in arrays if isinstance(t, ir.ArrayType)]
    for wanted in ITEM_FIELDS:
        for name, t in arrays:
            if name == wanted:
                return name, t.item  # type: ignore[union-attr]
    if len(arrays) == 1:
        return arrays[0][0], arrays[0][1].item  # type: ignore[union-attr]
    return None


def detect(api: ir.Api, op: ir.Operation) -> ir.Pagination | None:
    if op.method != "get" or op.result_kind != "json" or op.stream_result is not None:
        return None
    found = _items(api, op.result)
    if found is None:
        return None
    items_field, item = found
    query = {p.wire_name for p in op.params if p.location == "query"}
    model = _model(api, op.result)
    fields = {f.wire_name for f in model.fields} if model else set()
    cursor_param = next((p for p in CURSOR_PARAMS if p in query), None)
    if cursor_param is not None and items_field is not None:
        cursor_field = next((f for f in CURSOR_FIELDS if f in fields), None)
        has_more = next((f for f in HAS_MORE_FIELDS if f in fields), None)
        if cursor_field is None and has_more is None:
            return None  # nothing tells where the next page starts or whether there is one
        return ir.Pagination("cursor", items_field, item, cursor_param=cursor_param,
                             cursor_field=cursor_field, has_more_field=has_more)
    limit = next((p for p in ("limit", "take") if p in query), None)
    offset = next((p for p in ("offset", "skip") if p in query), None)
    if offset and limit:
        total = next((f for f in ("total", "total_count", "count") if f in fields), None)
        return ir.Pagination("offset", items_field, item, limit_param=limit, offset_param=offset,
                             has_more_field=next((f for f in HAS_MORE_FIELDS if f in fields), None),
                             total_field=total)
    if "page" in query:
        size = next((p for p in PAGE_SIZE_PARAMS if p in query), "limit")
        total_pages = next((f for f in ("total_pages", "pages", "page_count") if f in fields), None)
        return ir.Pagination("page", items_field, item, page_param="page", limit_param=size,
                             has_more_field=next((f for f in HAS_MORE_FIELDS if f in fields), None),
                             total_pages_field=total_pages)
    return None


def stream_flag(op: ir.Operation) -> str | None:
    """The boolean body field or query parameter named ``stream`` of an operation that can stream."""
    if op.stream_result is None or op.result_kind == "sse":
        return None
    if op.body is not None and op.body.mode == "fields":
        for f in op.body.fields:
            if f.wire_name == "stream":
                return "stream"
    for p in op.params:
        if p.location == "query" and p.wire_name == "stream":
            return "stream"
    return None


def apply(api: ir.Api, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> ir.Api:
    """Set ``pagination`` and ``stream_flag`` on every operation (overrides win)."""
    overrides = overrides or {}
    ops = []
    for op in api.operations:
        key_id, key_path = op.operation_id or "", f"{op.method.upper()} {op.path}"
        override = overrides.get(key_id) if key_id in overrides else overrides.get(key_path)
        if override is not None:
            pagination = _from_override(api, op, override)
        else:
            pagination = detect(api, op)
        ops.append(replace(op, pagination=pagination, stream_flag=stream_flag(op)))
    return replace(api, operations=tuple(ops), extra={})


def _from_override(api: ir.Api, op: ir.Operation, spec: Mapping[str, Any]) -> ir.Pagination | None:
    style = str(spec.get("style", "cursor"))
    if style == "none":
        return None
    items_field = spec.get("items", "data")
    found = _items(api, op.result)
    item: ir.TypeRef = found[1] if found else ir.ANY
    model = _model(api, op.result)
    if model is not None and items_field:
        for f in model.fields:
            if f.wire_name == items_field:
                resolved = _resolve(api, f.type)
                if isinstance(resolved, ir.ArrayType):
                    item = resolved.item
    return ir.Pagination(
        style=style,
        items_field=items_field or None,
        item=item,
        cursor_param=str(spec.get("cursor_param", "after")),
        cursor_field=spec.get("cursor_field"),
        has_more_field=spec.get("has_more_field", "has_more"),
        id_field=str(spec.get("id_field", "id")),
        limit_param=str(spec.get("limit_param", "limit")),
        offset_param=str(spec.get("offset_param", "offset")),
        page_param=str(spec.get("page_param", "page")),
        total_field=spec.get("total_field"),
        total_pages_field=spec.get("total_pages_field"),
    )
