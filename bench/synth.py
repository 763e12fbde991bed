"""Synthetic OpenAPI 3.1 documents for the scaling benchmark (bench/run.py, point f).

``make_spec(n)`` returns the YAML text of a document with ``n`` operations spread over
``max(1, n // 20)`` tags and ``n`` component schemas. Every operation is alike, so the
time per operation of a generator that scales linearly stays flat as ``n`` grows:

* ``POST /group{t}/things{i}/{thing_id}`` with operationId ``updateThing{i}`` and tag ``Group{t}``;
* a required path parameter ``thing_id`` (string) and an optional query parameter ``dry_run``
  (boolean);
* a JSON request body ``$ref`` to ``Thing{i}``: five properties, among them an enum (``kind``)
  and a nested object (``meta``, with an array of strings);
* a 200 JSON response schema: an array of ``Thing{i}``.

Run as a script to write one: ``python bench/synth.py 1000 out.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HEAD = """\
openapi: 3.1.0
info:
  title: Synthetic {n}
  version: 1.0.0
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
"""

_PATH = """\
  /group{t}/things{i}/{{thing_id}}:
    post:
      operationId: updateThing{i}
      tags:
        - Group{t}
      summary: Update thing {i}
      parameters:
        - in: path
          name: thing_id
          required: true
          schema:
            type: string
        - in: query
          name: dry_run
          required: false
          schema:
            type: boolean
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing{i}'
      responses:
        '200':
          description: The updated thing.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing{i}'
        '404':
          description: Not found.
"""

_COMPONENTS = """\
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
  schemas:
"""

_SCHEMAS = """\
    Thing{i}:
      type: object
      required:
        - name
        - kind
      properties:
        name:
          type: string
          description: The name of thing {i}.
        count:
          type: integer
        ratio:
          type: number
        kind:
          type: string
          enum:
            - small
            - medium
            - large
        meta:
          type: object
          properties:
            created_at:
              type: string
              format: date-time
            labels:
              type: array
              items:
                type: string
"""


def make_spec(n: int) -> str:
    """The YAML text of a synthetic document with ``n`` operations (see the module doc)."""
    tags = max(1, n // 20)
    parts = [_HEAD.format(n=n)]
    parts.extend(_PATH.format(i=i, t=i % tags) for i in range(n))
    parts.append(_COMPONENTS)
    parts.extend(_SCHEMAS.format(i=i) for i in range(n))
    return "".join(parts)


def write_spec(n: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make_spec(n), encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/synth.py N OUT.yaml")
    print(write_spec(int(sys.argv[1]), Path(sys.argv[2])))
