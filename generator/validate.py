"""Validate a loaded document: openapi-spec-validator plus a few checks of our own.

Findings are :class:`Diagnostic` data, WARNING by default (generation goes on)
or ERROR when ``strict``.

Where findings are located
    openapi-spec-validator 0.9 reports two kinds of errors.  Errors of the
    whole-document check against the OpenAPI meta-schema carry
    ``absolute_path`` (a path in the document as written).  Errors of its
    per-keyword checks (schemas checked against the JSON Schema dialect,
    ``default`` values checked against their schema, duplicate operationIds,
    unresolved path parameters...) carry *no* document path: their
    ``absolute_path`` is relative to the schema or value being checked.  To
    locate those we subclass the library's keyword validators and tag each
    error with the ``SchemaPath`` being visited.  That path is *logical*: it
    may go through ``$ref``s (the library reads ``.../schema/properties/x``
    through ``schema: {$ref: ...}``), so we replay it over the document and
    follow every ``$ref`` on the way.  The pointer we report is therefore the
    place where the offending text actually is (e.g. inside
    ``#/components/schemas/X``), not the path by which the library reached it.

Our own checks
    For every schema with a ``type``: a ``default`` or ``enum`` value that
    does not match the type is reported at the pointer of that value.  ``null``
    is allowed only when 3.0 ``nullable: true`` or 3.1 ``"null"`` in ``type``.
    When the library reports the same value (same pointer), only our clearer
    message is kept.

Speed, with the library's findings unchanged
    * The whole-document check and every schema's meta-schema check first ask
      jsonschema-rs (Rust) whether there is any error at all; only when it says
      so (or cannot take the value) does jsonschema run, to give its own errors
      (:class:`_Prefiltered`).  Most of the time went there: about 6x faster on
      the OpenAI spec.
    * One meta-schema validator per class instead of one per schema
      (:func:`_fast_checker`).
    * The library's registries of visited schemas and operationIds are lists,
      searched with ``in``: quadratic in the size of the spec (95x the time for
      20x the operations).  They become :class:`_SeenList`, same answers in
      constant time.
    * The library's keyword validators read the document through
      ``jsonschema_path.SchemaPath``s, which resolved every path again from the
      root (through an LRU cache and a runtime-``Protocol`` ``isinstance`` per
      step) at every ``in``, read and iteration: 60% of the remaining time on the
      OpenAI spec.  The document is handed to them as paths that resolve each path
      once, from its parent, as the library does, and remember it (:func:`_memo_path`).
    ``_speedups(False)`` turns all four off; tests/test_validate.py compares the
    findings both ways (the corpus, the seeds, the hostile specs), and the paths'
    answers with ``SchemaPath``'s.

While the library runs (:func:`_library_patched`)
    * ``re.search`` in jsonschema is bounded (generator/bounded_re.py): a hostile
      ``pattern`` no longer hangs validation.
    * jsonschema and the library iterate some ``set``s of property names, so which
      of several errors came first, and the order of names in a few messages,
      changed with PYTHONHASHSEED; those sets keep document order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from generator import bounded_re
from generator.diagnostics import Diagnostic, Level, Location, pointer_join
from generator.load import LITERAL_KEYS, NAME_MAPS, Document, is_index, ref_tokens

__all__ = ["validate_document", "LIBRARIES", "code_files"]

#: the distributions whose versions the findings depend on (generator/core.py's cache key)
LIBRARIES = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-rs", "google-re2",
             "regex")


def code_files() -> tuple[str, ...]:
    """oagen's own files that the findings depend on (generator/core.py's cache key)."""
    from generator import load

    return tuple(str(m.__file__) for m in (load, bounded_re) if m.__file__) + (__file__,)

_MAX_MESSAGE = 240
_MAX_REPR = 120
_MAX_REF_HOPS = 100

# ----------------------------------------------------------------------------
# openapi-spec-validator, with located keyword errors


def _located_validator(version: str) -> type:
    """The validator class for "3.0" or "3.1" whose keyword errors know where they are."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from openapi_spec_validator.validation.validators import (
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    def tagging(base: type, kind: str) -> type:
        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = None
            for arg in args:
                if isinstance(arg, SchemaPath):
                    where = arg
                    break

            def tag(err: Any) -> Any:
                if where is not None and getattr(err, "_oagen_where", None) is None:
                    if not isinstance(err, OpenAPIValidationError):
                        # the library re-creates other errors on the way out (and drops
                        # our tag): convert now, as it would
                        err = OpenAPIValidationError.create_from(err)
                    err._oagen_where = (kind, tuple(where.parts))
                return err

            for err in base.__call__(self, *args, **kwargs):
                yield tag(err)
                if _UNCHECKED:
                    yield from (tag(e) for e in _unchecked_errors())
            if _UNCHECKED:
                yield from (tag(e) for e in _unchecked_errors())

        attrs: dict[str, Any] = {"__call__": __call__}
        if kind in ("schema", "operation"):
            base_init: Any = getattr(base, "__init__")

            def __init__(self: Any, registry: Any) -> None:
                base_init(self, registry)
                if not _SPEEDUPS:
                    return
                # the library's "seen" registries are lists: `in` on them made validation
                # quadratic in the number of schemas and operations
                for attr in ("visited_schema_ids", "meta_checked_schema_ids", "operation_ids_registry"):
                    if isinstance(getattr(self, attr, None), list):
                        setattr(self, attr, _SeenList(getattr(self, attr)))

            attrs["__init__"] = __init__
        if hasattr(base, "_get_schema_checker"):

            def _get_schema_checker(self: Any, schema: Any, schema_value: Any) -> Any:
                checker = base._get_schema_checker(self, schema, schema_value)
                return _fast_checker(checker) if _SPEEDUPS else checker

            attrs["_get_schema_checker"] = _get_schema_checker
        return type("Located" + base.__name__, (base,), attrs)

    def located(cls: type, document_schema: Any) -> type:
        kinds = {
            "default": "default",
            "schema": "schema",
            "operation": "operation",
            "parameters": "node",
            "parameter": "node",
            "tags": "node",
            "paths": "node",
            "path": "node",
            "components": "node",
            "schemas": "node",
            "content": "node",
            "mediaType": "node",
            "response": "node",
            "responses": "node",
        }
        validators = dict(cls.keyword_validators)  # type: ignore[attr-defined]
        for name, kind in kinds.items():
            if name in validators:
                validators[name] = tagging(validators[name], kind)
        base_init: Any = getattr(cls, "__init__")

        def __init__(self: Any, schema: Any, base_uri: str = "", spec_url: Any = None) -> None:
            if _SPEEDUPS and spec_url is None and not isinstance(schema, SchemaPath):
                # the document behind paths that remember what they resolved to
                # (:class:`_MemoAccessor`); as the library builds it otherwise
                schema = _memo_path()(schema, base_uri, cls.resolver_handlers)  # type: ignore[attr-defined]
            base_init(self, schema, base_uri=base_uri, spec_url=spec_url)

        return type(
            "Located" + cls.__name__,
            (cls,),
            {"keyword_validators": validators, "schema_validator": _document_validator(document_schema),
             "__init__": __init__},
        )

    from openapi_spec_validator.schemas import schema_v30, schema_v31

    if version == "3.1":
        return located(OpenAPIV31SpecValidator, schema_v31)
    return located(OpenAPIV30SpecValidator, schema_v30)


_MEMO_PATH: Any = None


def _memo_path() -> Any:
    """A factory ``(document, base_uri, handlers) -> SchemaPath`` of the document's root,
    whose paths (and accessor) remember what they resolved to.

    The library's keyword validators read the document through ``SchemaPath``s: every
    ``"x" in path``, ``path / "x"`` then read, ``for ... in path`` resolves the path from
    the root again (an LRU of 128 paths and a prefix cache, and on every step an
    ``isinstance`` against a runtime ``Protocol``, which is slow).  Here each path is
    resolved once, from its parent's resolution, exactly as the library resolves it
    (``CachedPathResolver``): the child node of the parent's contents (``KeyError`` when
    there is none), then ``$ref``s looked up with the parent's resolver and resolved
    again, as ``SchemaNode._resolve_node`` does.  The document is not changed while the
    library runs, so a path always resolves to the same node; the resolver may be an
    earlier state of the same registry, which only grows (the library rebinds its cached
    resolutions to the newest for the same reason), so ``$ref``s resolve alike.
    """
    global _MEMO_PATH
    if _MEMO_PATH is not None:
        return _MEMO_PATH
    from jsonschema_path import SchemaPath
    from jsonschema_path.accessors import SchemaAccessor
    from jsonschema_path.paths import SPEC_SEPARATOR
    from pathable.accessors import SubscriptableAccessor
    from referencing._core import Resolved

    generic_subnode = SubscriptableAccessor._get_subnode.__func__  # type: ignore[attr-defined]

    def resolve_node(node: Any, resolver: Any) -> Any:
        # SchemaNode._resolve_node: a {"$ref": <str>} mapping is looked up, and what it
        # resolves to resolved again (recursively: a cycle of $refs is a RecursionError,
        # as in the library); any other node is itself
        if isinstance(node, dict) and "$ref" in node and isinstance(node["$ref"], str):
            resolved = resolver.lookup(node["$ref"])
            return resolve_node(resolved.contents, resolved.resolver)
        return Resolved(node, resolver)  # type: ignore[call-arg]

    class _MemoAccessor(SchemaAccessor):  # type: ignore[misc]
        def __init__(self, schema: Any, resolver: Any, resolved_cache_maxsize: int = 0) -> None:
            super().__init__(schema, resolver, resolved_cache_maxsize=0)
            self._memo: dict[tuple[Any, ...], Any] = {}

        @classmethod
        def _get_subnode(cls, node: Any, part: Any) -> Any:
            # the library's: a Subscriptable node (a runtime Protocol: dict and list are),
            # else KeyError; a failing lookup is a KeyError
            if type(node) is dict or type(node) is list:
                try:
                    return node[part]
                except (KeyError, IndexError, TypeError) as exc:
                    raise KeyError(part) from exc
            return generic_subnode(cls, node, part)

        def get_resolved(self, parts: Any) -> Any:
            key = parts if type(parts) is tuple else tuple(parts)
            memo = self._memo
            found = memo.get(key)
            if found is not None:
                return found
            start = len(key) - 1
            while start >= 0 and key[:start] not in memo:
                start -= 1
            if start < 0:
                resolved = resolve_node(self._node, self._path_resolver.resolver)
                memo[()] = resolved
                start = 0
            else:
                resolved = memo[key[:start]]
            get_subnode = self._get_subnode
            for index in range(start, len(key)):
                node = get_subnode(resolved.contents, key[index])
                resolved = resolve_node(node, resolved.resolver)
                memo[key[: index + 1]] = resolved
            return resolved

        def read(self, parts: Any) -> Any:
            return self.get_resolved(parts).contents

    class _MemoPath(SchemaPath):  # type: ignore[misc]
        """A ``SchemaPath`` that keeps its resolution (paths are immutable), and whose
        children are made directly (the library parses every ``path / key`` anew)."""

        def _clone_with_parts(self, parts: tuple[Any, ...]) -> Any:
            # AccessorPath._from_parsed_parts, for this accessor and separator
            child = object.__new__(_MemoPath)
            fields = child.__dict__
            fields["parts"] = parts
            fields["separator"] = self.separator
            fields["accessor"] = self.accessor
            return child

        def _make_child_relpath(self, part: Any) -> Any:
            return self._clone_with_parts(self.parts + (part,))

        def __truediv__(self, key: Any) -> Any:
            # SchemaPath._parse_args takes a str (but "", "." and ones holding the
            # separator) or an int as one part as it is
            kind = type(key)
            if (kind is str and key and key != "." and self.separator not in key) or kind is int:
                return self._clone_with_parts(self.parts + (key,))
            return super().__truediv__(key)

        def _resolved(self) -> Any:
            found = self.__dict__.get("_oagen_resolved")
            if found is None:
                accessor: Any = self.accessor
                found = self.__dict__["_oagen_resolved"] = accessor.get_resolved(self.parts)
            return found

        def __contains__(self, key: Any) -> bool:
            # SchemaAccessor.contains
            found = self.__dict__.get("_oagen_resolved")
            if found is None:
                try:
                    found = self._resolved()
                except (KeyError, IndexError, TypeError):
                    return False
            node = found.contents
            if isinstance(node, dict):
                return key in node
            if isinstance(node, list):
                return isinstance(key, int) and 0 <= key < len(node)
            return False

        def read_value(self) -> Any:
            found = self.__dict__.get("_oagen_resolved")
            return (found if found is not None else self._resolved()).contents

    def make(schema: Any, base_uri: str, handlers: Any) -> Any:
        # as SchemaPath.from_dict makes it
        accessor = _MemoAccessor.from_schema(schema, base_uri=base_uri, handlers=handlers)
        return _MemoPath(accessor, separator=SPEC_SEPARATOR)

    _MEMO_PATH = make
    return make


_META_VALIDATORS: dict[tuple[Any, ...], Any] = {}
_UNSET = object()


def _fast_checker(checker: Any) -> Any:
    """``Validator.check_schema`` with one meta-schema validator per class, prefiltered.

    The library checks each of a spec's schemas with ``check_schema`` (openapi-schema-
    validator's ``check_openapi_schema`` for the OpenAPI dialects, jsonschema's own for
    others), which builds a new meta-schema validator (and crawls its registry anew) every
    time; this keeps one per class and format checker, built exactly as that function
    builds it, and asks jsonschema-rs first (:class:`_Prefiltered`).  Same semantics: the
    first error is raised as a ``SchemaError``.
    """
    import functools

    format_checker: Any = _UNSET
    func = checker
    if isinstance(checker, functools.partial):
        if checker.args or set(checker.keywords) - {"format_checker"}:
            return checker
        func = checker.func
        format_checker = checker.keywords.get("format_checker", _UNSET)
    cls = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    if cls is None or name not in ("check_schema", "check_openapi_schema"):
        return checker

    def check(schema: Any) -> None:
        from jsonschema.exceptions import SchemaError

        key = (cls, name, id(format_checker))
        validator = _META_VALIDATORS.get(key)
        if validator is None:
            validator = _META_VALIDATORS[key] = _meta_validator(cls, name, format_checker)
        for error in validator.iter_errors(schema):
            raise SchemaError.create_from(error)

    return check


def _meta_validator(cls: Any, name: str, format_checker: Any) -> _Prefiltered:
    from jsonschema.validators import validator_for

    meta_cls = validator_for(cls.META_SCHEMA, default=cls)
    if name == "check_openapi_schema":  # openapi_schema_validator.validators.check_openapi_schema
        from openapi_schema_validator._specifications import REGISTRY

        chosen = cls.FORMAT_CHECKER if format_checker is _UNSET else format_checker
        python = meta_cls(cls.META_SCHEMA, format_checker=chosen, registry=REGISTRY)
    else:  # jsonschema's Validator.check_schema
        chosen = meta_cls.FORMAT_CHECKER if format_checker is _UNSET else format_checker
        python = meta_cls(schema=cls.META_SCHEMA, format_checker=chosen)
    return _Prefiltered(_crawled(python), _rs_validator(cls.META_SCHEMA, meta_cls, chosen))


def _document_validator(schema: Any) -> Any:
    """The whole-document check against the OpenAPI meta-schema: jsonschema, as
    openapi-spec-validator's "jsonschema" backend builds it (whatever backend the library
    would pick), prefiltered by jsonschema-rs."""
    from jsonschema.validators import validator_for

    schema = dict(schema)
    python_cls = validator_for(schema)
    return _Prefiltered(_crawled(python_cls(schema)), _rs_validator(schema, python_cls, None))


class _Prefiltered:
    """A jsonschema validator that first asks jsonschema-rs whether there is any error at all.

    Most documents and schemas are valid: jsonschema-rs (Rust) says so in a fraction of the
    time.  Whenever it finds something, or cannot take the value (keys that are not
    strings...), jsonschema itself runs and gives its own errors, so the findings are
    exactly jsonschema's.  For the findings to be the same, jsonschema-rs must never
    accept what jsonschema rejects: it runs the same meta-schemas, with jsonschema's own
    format checks plugged in (:func:`_rs_validator`); where the two differ (ECMA-262
    against Python regular expressions in the meta-schemas' patterns, NaN...) jsonschema-rs
    is the stricter, which only costs a jsonschema run.  tests/test_validate.py compares
    the findings with and without it.
    """

    def __init__(self, python: Any, rs: Any) -> None:
        self.python = python
        self.rs = rs

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self.rs is not None and _SPEEDUPS:
            try:
                if self.rs.is_valid(instance):
                    return iter(())
            except Exception:  # noqa: BLE001 - a value jsonschema-rs cannot take: ask jsonschema
                pass
        return iter(self.python.iter_errors(instance))


_SPEEDUPS = True


@contextmanager
def _speedups(enabled: bool) -> Iterator[None]:
    """Turn the speed-ups off (tests compare the findings with and without them): then the
    library runs its own code path, jsonschema alone, as it would without oagen."""
    global _SPEEDUPS
    saved, _SPEEDUPS = _SPEEDUPS, enabled
    try:
        yield
    finally:
        _SPEEDUPS = saved


def _rs_validator(schema: Any, python_cls: type, format_checker: Any) -> Any:
    """A jsonschema-rs validator with ``python_cls``'s semantics for ``schema``, or None.

    The meta-schemas' references resolve offline in the registry of
    openapi-schema-validator (the same documents jsonschema uses); every ``format`` that
    occurs in them is checked by jsonschema's ``format_checker`` (none when it is None).
    """
    try:
        import jsonschema_rs
        from jsonschema import validators as jv
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:
        return None
    drafts = {
        jv.Draft4Validator: jsonschema_rs.Draft4Validator,
        jv.Draft6Validator: jsonschema_rs.Draft6Validator,
        jv.Draft7Validator: jsonschema_rs.Draft7Validator,
        jv.Draft201909Validator: jsonschema_rs.Draft201909Validator,
        jv.Draft202012Validator: jsonschema_rs.Draft202012Validator,
    }
    rs_cls = drafts.get(python_cls)  # type: ignore[call-overload]
    if rs_cls is None:
        return None
    try:
        resources = [(uri, REGISTRY.contents(uri)) for uri in REGISTRY]
        names: set[str] = set()
        for _, contents in resources + [("", schema)]:
            names |= _format_names(contents)
        options: dict[str, Any] = {"validate_formats": format_checker is not None}
        if format_checker is not None:
            options["formats"] = {name: _conforms(format_checker, name) for name in sorted(names)}
        return rs_cls(schema, registry=jsonschema_rs.Registry(resources), **options)
    except Exception:  # noqa: BLE001 - no prefilter: jsonschema alone, as before
        return None


def _conforms(checker: Any, name: str) -> Any:
    return lambda value: checker.conforms(value, name)


def _format_names(node: Any) -> set[str]:
    names: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("format"), str):
                names.add(item["format"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return names


class _SeenList(list):  # type: ignore[type-arg]
    """The list the library keeps of what it has seen, with ``in`` in constant time.

    Same answers as a list: hashable values are found by hash and equality (as ``==``
    in a list, since equal hashables hash alike), others by the list's scan.
    """

    def __init__(self, items: Any = ()) -> None:
        super().__init__()
        self._hashed: set[Any] = set()
        for item in items:
            self.append(item)

    def append(self, item: Any) -> None:
        try:
            self._hashed.add(item)
        except TypeError:
            super().append(item)

    def __contains__(self, item: object) -> bool:
        try:
            if item in self._hashed:
                return True
        except TypeError:
            pass
        return list.__contains__(self, item)


def _crawled(validator: Any) -> Any:
    """The same meta-schema validator with its reference registry crawled once.

    jsonschema resolves every ``$dynamicRef`` of the 3.1 meta-schema by crawling an
    uncrawled registry again (and dropping the result): 600 crawls, most of the time
    validation takes.  A pre-crawled registry gives the same findings ~6x faster
    (tests/test_validate.py compares both).
    """
    try:
        resolver = validator._resolver
        return validator.evolve(_resolver=resolver._registry.crawl().resolver(base_uri=resolver._base_uri))
    except Exception:  # noqa: BLE001 - another jsonschema layout: keep the library's validator
        return validator


_VALIDATORS: dict[str, type] = {}


def _validator_for(version: str) -> type:
    key = "3.1" if version.startswith("3.1") else "3.0"
    if key not in _VALIDATORS:  # built when first needed: each reads and compiles its meta-schema
        _VALIDATORS[key] = _located_validator(key)
    return _VALIDATORS[key]


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _concrete(root: Any, parts: tuple[Any, ...]) -> list[str] | None:
    """Replay a logical path of the library over ``root``, following ``$ref``s.

    Returns the tokens of the node's real place (the last node's ``$ref`` is
    followed too, as the library reads resolved values), or None.
    """
    tokens: list[str] = []
    node = root

    def follow() -> bool:
        nonlocal node, tokens
        hops = 0
        while _is_ref(node) and node["$ref"].startswith("#"):
            hops += 1
            if hops > _MAX_REF_HOPS:
                return False
            try:
                target = ref_tokens(node["$ref"])
            except ValueError:
                return False
            n: Any = root
            for t in target:
                if isinstance(n, dict) and t in n:
                    n = n[t]
                elif isinstance(n, list) and is_index(t) and int(t) < len(n):
                    n = n[int(t)]
                else:
                    return False
            node, tokens = n, list(target)
        return True

    for part in parts:
        if not follow():
            return None
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
        tokens.append(str(part))
    if not follow():
        return None
    return tokens


def _error_pointer(doc: Document, err: Any) -> str:
    relative = [str(p) for p in getattr(err, "absolute_path", ())]
    where = getattr(err, "_oagen_where", None)
    if where is None:
        return pointer_join(*relative)
    kind, parts = where
    base = _concrete(doc.root, parts)
    if base is None:
        base = [str(p) for p in parts]
    if kind == "default":
        return pointer_join(*base, "default", *relative)
    name = type(err).__name__
    if kind == "schema" and name == "ExtraParametersError":
        return pointer_join(*base, "required")
    if kind == "operation" and name == "DuplicateOperationIDError":
        return pointer_join(*base, "operationId")
    return pointer_join(*base, *relative)


def _shorten(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _error_message(err: Any) -> str:
    message = str(getattr(err, "message", err))
    if len(message) > _MAX_REPR and hasattr(err, "instance"):
        try:
            full = repr(err.instance)
        except Exception:  # noqa: BLE001
            full = ""
        if len(full) > _MAX_REPR and full in message:
            message = message.replace(full, _shorten(full))
    message = " ".join(message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return message


def _finding(doc: Document, err: Any) -> tuple[str, str]:
    """(pointer, message) of one library error.

    A ``oneOf``/``anyOf`` failure ("... is not valid under any of the given
    schemas") is replaced by jsonschema's ``best_match`` among its sub-errors,
    which is deeper and says what is actually wrong.
    """
    if getattr(err, "context", None):
        try:
            from jsonschema.exceptions import best_match

            best = best_match([err])
        except Exception:  # noqa: BLE001
            best = None
        if best is not None and best is not err:
            where = getattr(err, "_oagen_where", None)
            if where is not None:
                best._oagen_where = where
            return _error_pointer(doc, best), _error_message(best)
    return _error_pointer(doc, err), _error_message(err)


def _library_findings(doc: Document) -> list[tuple[str, str]]:
    """(pointer, message) for every error of openapi-spec-validator."""
    found: list[tuple[str, str]] = []
    try:
        cls = _validator_for(str(doc.root.get("openapi", "")))
        with _library_patched():
            for err in cls(doc.root).iter_errors():
                found.append(_finding(doc, err))
            found.extend(_finding(doc, err) for err in _unchecked_errors())
    except RecursionError:
        found.append(("#", "openapi-spec-validator gave up: the document nests too deeply to validate"))
    except Exception as exc:  # noqa: BLE001 - the library must never crash us
        detail = " ".join(str(exc).split())
        if len(detail) > _MAX_REPR:
            detail = detail[: _MAX_REPR - 3] + "..."
        found.append(
            ("#", f"openapi-spec-validator failed ({type(exc).__name__}: {detail}); the document was not fully validated")
        )
    finally:
        _clear_library_cache()
    return found


# ----------------------------------------------------------------------------
# Regular expressions in bounded time
#
# jsonschema matches ``pattern`` and ``patternProperties`` (also inside
# ``additionalProperties`` and ``unevaluatedProperties``) with ``re.search``, which
# backtracks: a hostile ``pattern: '^(a+)+$'`` with ``default: 'aaaa...a!'`` would
# keep the validator busy for hours.  While the library runs, the modules that call
# ``re.search`` see :class:`_BoundedRe` instead of ``re``: the same answers
# (generator/bounded_re.py), in time linear in the subject, or, for the few
# constructs no bounded engine can decide, a finding that says the value was not
# checked against that pattern.

_RE_USERS = ("jsonschema._keywords", "jsonschema._utils", "jsonschema._legacy_keywords",
             "openapi_schema_validator._regex")
_UNCHECKED: list[tuple[Any, Any]] = []


class _BoundedRe:
    """Stands in for the ``re`` module inside the modules of :data:`_RE_USERS`."""

    def __getattr__(self, name: str) -> Any:
        import re

        return getattr(re, name)

    @staticmethod
    def search(pattern: Any, string: Any, flags: int = 0) -> Any:
        import re

        if flags:
            return re.search(pattern, string, flags)  # never done by the library
        found = bounded_re.search(pattern, string)
        if found is None:
            # undecided: count it as a match (no error about it), and say so
            _UNCHECKED.append((pattern, string))
            return True
        return True if found else None


def _unchecked_errors() -> Iterator[Any]:
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    while _UNCHECKED:
        pattern, subject = _UNCHECKED.pop(0)
        yield OpenAPIValidationError(
            f"{_show(subject)} was not checked against pattern {_show(pattern)}: the pattern needs "
            "a backtracking engine (lookaround, backreference...) and the search did not end in "
            "the time allowed"
        )


class _OrderedSet(dict):  # type: ignore[type-arg]
    """A set that iterates in insertion order (what the library does with its sets)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__((item, None) for item in items)

    def add(self, item: Any) -> None:
        self[item] = None

    def update(self, items: Any = (), /, **_: Any) -> None:  # type: ignore[override]
        for item in items:
            self[item] = None

    def __sub__(self, other: Any) -> _OrderedSet:
        return _OrderedSet(item for item in self if item not in other)


# Modules of the library whose errors depend on the order of a `set` of strings, which
# changes with PYTHONHASHSEED: which of two bad properties of a schema is reported (the
# meta-schema check keeps the first error), the order of names in "Additional properties
# are not allowed ('a', 'b' were unexpected)" and "Required list has not defined
# properties: [...]".  While the library runs, their `set` keeps insertion (document) order.
_SET_USERS = ("jsonschema._keywords", "openapi_schema_validator._keywords",
              "openapi_spec_validator.validation.keywords")


@contextmanager
def _library_patched() -> Iterator[None]:
    """While the library runs: regular expressions in bounded time, sets in document order."""
    import importlib

    shim = _BoundedRe()
    saved: list[tuple[Any, str, Any, bool]] = []

    def swap(module_name: str, attr: str, value: Any) -> None:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return
        had = attr in vars(module)
        if attr == "re" and not had:
            return
        saved.append((module, attr, vars(module).get(attr), had))
        setattr(module, attr, value)

    try:
        for name in _RE_USERS:
            swap(name, "re", shim)
        for name in _SET_USERS:
            swap(name, "set", _OrderedSet)
        _UNCHECKED.clear()
        with bounded_re.budget():
            yield
    finally:
        for module, attr, original, had in reversed(saved):
            if had:
                setattr(module, attr, original)
            else:
                delattr(module, attr)
        _UNCHECKED.clear()


def _clear_library_cache() -> None:
    """``SpecValidator.iter_errors`` is an ``lru_cache`` keyed on the validator:
    without this every validated document would stay in memory."""
    try:
        from openapi_spec_validator.validation.validators import SpecValidator

        cached: Any = getattr(SpecValidator.iter_errors, "__wrapped__", None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    except Exception:  # noqa: BLE001 - best effort
        pass


# ----------------------------------------------------------------------------
# Our own checks: default / enum values against type

# keywords whose value is one schema / a list of schemas / a map of schemas
_SUB_SCHEMA = (
    "items", "not", "additionalProperties", "additionalItems", "contains", "propertyNames",
    "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
)
_SUB_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_SUB_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# keyword -> 1: a schema, 2: a list of schemas, 4: a map of schemas (or'ed)
_SUB_KINDS = {key: sum(bit for bit, keys in ((1, _SUB_SCHEMA), (2, _SUB_SCHEMA_LISTS), (4, _SUB_SCHEMA_MAPS))
                       if key in keys)
              for key in _SUB_SCHEMA + _SUB_SCHEMA_LISTS + _SUB_SCHEMA_MAPS}


def _schemas(root: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every schema object written in the document, with its pointer (iterative)."""
    # (node, pointer, mode): mode "doc" (OpenAPI structure), "names" (author-named map
    # of OpenAPI objects), "schema"
    stack: list[tuple[Any, str, str]] = [(root, "#", "doc")]
    while stack:
        node, ptr, mode = stack.pop()
        children: list[tuple[Any, str, str]] = []
        if mode == "schema":
            if not isinstance(node, dict):
                continue
            yield node, ptr
            for key, sub in node.items():  # in the document's order (the findings are sorted)
                kind = _SUB_KINDS.get(key)
                if kind is None:
                    continue
                if isinstance(sub, dict):
                    if kind & 1:
                        children.append((sub, pointer_join_child(ptr, key), "schema"))
                    elif kind & 4:
                        base = pointer_join_child(ptr, key)
                        children.extend((s, pointer_join_child(base, k), "schema") for k, s in sub.items())
                elif isinstance(sub, list) and kind & 2:
                    base = pointer_join_child(ptr, key)
                    children.extend((s, f"{base}/{i}", "schema") for i, s in enumerate(sub))
        elif isinstance(node, list):
            children.extend((v, f"{ptr}/{i}", "doc") for i, v in enumerate(node) if isinstance(v, (dict, list)))
        elif isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(value, (dict, list)):
                    continue
                child = pointer_join_child(ptr, key)
                if mode == "names":
                    children.append((value, child, "doc"))
                elif key == "schema" and isinstance(value, dict):
                    children.append((value, child, "schema"))
                elif key == "schemas" and ptr == "#/components" and isinstance(value, dict):
                    children.extend(
                        (s, pointer_join_child(child, k), "schema") for k, s in value.items()
                    )
                elif key in LITERAL_KEYS or key.startswith("x-") or (key == "examples" and isinstance(value, list)):
                    continue
                elif key in NAME_MAPS and isinstance(value, dict):
                    children.append((value, child, "names"))
                else:
                    children.append((value, child, "doc"))
        stack.extend(reversed(children))


def pointer_join_child(pointer: str, key: str) -> str:
    if "~" in key or "/" in key:
        key = key.replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{key}"


_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _show(value: Any) -> str:
    if isinstance(value, str):
        return _shorten(repr(value))
    try:
        return _shorten(json.dumps(value, ensure_ascii=False, sort_keys=True))
    except (TypeError, ValueError):
        return _shorten(repr(value))


def _type_findings(doc: Document) -> list[tuple[str, str]]:
    is_30 = str(doc.root.get("openapi", "")).startswith("3.0")
    found: list[tuple[str, str]] = []
    for schema, ptr in _schemas(doc.root):
        declared = schema.get("type")
        if isinstance(declared, str):
            types = [declared]
        elif isinstance(declared, list) and declared and all(isinstance(t, str) for t in declared):
            types = declared
        else:
            continue
        if not all(t in _TYPE_CHECKS for t in types):
            continue  # unknown type names are the meta-schema check's business
        nullable = schema.get("nullable") is True
        null_ok = "null" in types or (is_30 and nullable)
        type_text = " or ".join(types)
        if is_30:
            hint = " (not nullable)"
        elif nullable:
            hint = " ('nullable' has no effect in OpenAPI 3.1; add 'null' to type)"
        else:
            hint = " ('null' is not in type)"

        def mismatch(value: Any) -> str | None:
            if value is None:
                return None if null_ok else hint
            return None if any(_TYPE_CHECKS[t](value) for t in types) else ""

        if "default" in schema:
            why = mismatch(schema["default"])
            if why is not None:
                found.append(
                    (pointer_join_child(ptr, "default"), f"default {_show(schema['default'])} does not match type {type_text}{why}")
                )
        enum = schema.get("enum")
        if isinstance(enum, list):
            for i, value in enumerate(enum):
                why = mismatch(value)
                if why is not None:
                    found.append((f"{ptr}/enum/{i}", f"enum value {_show(value)} does not match type {type_text}{why}"))
    return found


# ----------------------------------------------------------------------------


def validate_document(doc: Document, *, strict: bool = False) -> list[Diagnostic]:
    """All findings about ``doc``, sorted by (line, pointer, message), without duplicates.

    WARNING level by default, ERROR when ``strict``.  Load-time warnings kept on
    the document (``doc.warnings``, e.g. duplicate keys) are included.
    """
    level = Level.ERROR if strict else Level.WARNING
    ours = _type_findings(doc)
    covered = {ptr for ptr, _ in ours}
    library = [(p, m) for p, m in _library_findings(doc) if p not in covered]

    seen: set[tuple[str, str]] = set()
    diagnostics: list[Diagnostic] = []
    for pointer, message in ours + library:
        if (pointer, message) in seen:
            continue
        seen.add((pointer, message))
        diagnostics.append(Diagnostic(level, message, doc.location(pointer)))
    for warning in doc.warnings:
        if (warning.location.pointer, warning.message) not in seen:
            seen.add((warning.location.pointer, warning.message))
            diagnostics.append(Diagnostic(level, warning.message, warning.location))

    def order(d: Diagnostic) -> tuple[Any, ...]:
        line = d.location.line
        return (d.location.file, line is None, line or 0, d.location.pointer, d.message)

    diagnostics.sort(key=order)
    return diagnostics
