"""``oagen diff``: each kind of change on hand-made edits, the report formats, git:REV:PATH,
and the real pair (the seed cancel-only Together spec against the full one of the corpus)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from generator import cli
from generator.apidiff import Side, covers, diff_apis, report_markdown, report_text, suggested_bump
from generator.config import client_for_spec
from generator.core import build_api
from generator.load import load_document, load_document_bytes
from test_regen import SHOP, add_enum_value, add_required_parameter, edit_all, remove_operation, run

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

JOBS = """\
openapi: 3.1.0
info: {title: Jobs API, version: 1.0.0}
paths:
  /jobs:
    post:
      tags: [Jobs]
      operationId: createJob
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/JobRequest"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /jobs/{job_id}:
    get:
      tags: [Jobs]
      operationId: getJob
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
components:
  schemas:
    JobRequest:
      type: object
      required: [model]
      properties:
        model: {type: string}
        tags: {type: array, items: {type: string}}
    Job:
      type: object
      required: [id, state]
      properties:
        id: {type: string}
        state: {$ref: "#/components/schemas/JobState"}
        label: {type: string}
    JobState:
      type: string
      enum: [queued, running, done]
"""

VERBOSE = "        - {name: verbose, in: query, schema: {type: boolean}}\n"
JOB_RESPONSE = """\
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
components:"""


def api_of(text: str, name: str = "jobs.yaml"):
    doc = load_document_bytes(text.encode(), name)
    return build_api(doc, client_for_spec(Path(name), Path(Path(name).stem)), validate=False)[0]


def changes_of(old: str, new: str) -> list[tuple[str, str, str, bool, str]]:
    return [(c.kind, c.action, c.subject, c.breaking, c.bump) for c in diff_apis(api_of(old), api_of(new))]


Edit = Callable[[str], str]

# (edit of JOBS, the exact changes: kind, action, subject, breaking, bump)
CASES: dict[str, tuple[Edit, list[tuple[str, str, str, bool, str]]]] = {
    "optional parameter added": (
        lambda t: t.replace(VERBOSE, VERBOSE + "        - {name: expand, in: query, schema: {type: string}}\n"),
        [("parameter", "added", "jobs.retrieve", False, "minor")],
    ),
    "required parameter added": (
        lambda t: t.replace(VERBOSE, VERBOSE + "        - {name: org, in: header, required: true, schema: {type: string}}\n"),
        [("parameter", "added", "jobs.retrieve", True, "major")],
    ),
    "parameter removed": (lambda t: t.replace(VERBOSE, ""), [("parameter", "removed", "jobs.retrieve", True, "major")]),
    "parameter widened": (
        lambda t: t.replace("schema: {type: boolean}", "schema: {type: [boolean, string]}"),
        [("parameter", "retyped", "jobs.retrieve", False, "minor")],
    ),
    "parameter retyped": (
        lambda t: t.replace("schema: {type: boolean}", "schema: {type: string}"),
        [("parameter", "retyped", "jobs.retrieve", True, "major")],
    ),
    "parameter now required": (
        lambda t: t.replace("in: query, schema", "in: query, required: true, schema"),
        [("parameter", "required", "jobs.retrieve", True, "major")],
    ),
    "required body field added (request model)": (
        lambda t: t.replace("required: [model]\n      properties:\n",
                            "required: [model, priority]\n      properties:\n        priority: {type: integer}\n"),
        [("body", "added", "jobs.create", True, "major"), ("field", "added", "JobRequest.priority", True, "major")],
    ),
    "optional body field added": (
        lambda t: t.replace("        tags: {type: array", "        priority: {type: integer}\n        tags: {type: array"),
        [("body", "added", "jobs.create", False, "minor"), ("field", "added", "JobRequest.priority", False, "minor")],
    ),
    "body field widened": (
        lambda t: t.replace("        model: {type: string}", "        model: {type: [string, integer]}"),
        [("body", "retyped", "jobs.create", False, "minor"), ("field", "retyped", "JobRequest.model", False, "minor")],
    ),
    "required field added to a response model": (
        lambda t: t.replace("required: [id, state]\n      properties:\n",
                            "required: [id, state, created]\n      properties:\n"
                            "        created: {type: string, format: date-time}\n"),
        [("field", "added", "Job.created", False, "minor")],
    ),
    "response field widened": (
        lambda t: t.replace("        label: {type: string}", "        label: {type: [string, integer]}"),
        [("field", "retyped", "Job.label", True, "major")],
    ),
    "response field now optional": (
        lambda t: t.replace("required: [id, state]", "required: [id]"),
        [("field", "optional", "Job.state", True, "major")],
    ),
    "optional response field made nullable (no change in Python)": (
        lambda t: t.replace("        label: {type: string}", "        label: {type: [string, 'null']}"), [],
    ),
    "model field removed": (lambda t: t.replace("        label: {type: string}\n", ""),
                            [("field", "removed", "Job.label", True, "major")]),
    "enum value added": (lambda t: t.replace("[queued, running, done]", "[queued, running, done, failed]"),
                         [("enum", "added", "JobState", False, "minor")]),
    "enum value removed": (lambda t: t.replace("[queued, running, done]", "[queued, done]"),
                           [("enum", "removed", "JobState", True, "major")]),
    "response type changed": (
        lambda t: t.replace(JOB_RESPONSE, JOB_RESPONSE.replace('{$ref: "#/components/schemas/Job"}',
                                                               '{type: array, items: {$ref: "#/components/schemas/Job"}}')),
        [("response", "retyped", "jobs.retrieve", True, "major")],
    ),
    "method renamed": (lambda t: t.replace("operationId: getJob", "operationId: fetchJob"),
                       [("method", "renamed", "jobs.fetch", True, "major")]),
    "method moved to another path": (lambda t: t.replace("  /jobs/{job_id}:", "  /v2/jobs/{job_id}:"),
                                     [("method", "moved", "jobs.retrieve", False, "patch")]),
    "operation removed": (
        lambda t: t[: t.index("  /jobs/{job_id}:")] + t[t.index("components:"):],
        [("method", "removed", "jobs.retrieve", True, "major")],
    ),
    "documentation only": (lambda t: t.replace("        label: {type: string}", "        label: {type: string, description: Shown in the UI.}"),
                           [("docs", "changed", "Job", False, "patch")]),
    "model added": (
        lambda t: t + "    Unused:\n      type: object\n      properties:\n        x: {type: string}\n",
        [("model", "added", "Unused", False, "minor")],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_change_is_classified(case: str):
    edit, expected = CASES[case]
    new = edit(JOBS)
    assert new != JOBS, "the edit did not apply"
    assert changes_of(JOBS, new) == expected
    bump = "major" if any(e[3] for e in expected) else max((e[4] for e in expected), key=["patch", "minor"].index, default="patch")
    assert suggested_bump(diff_apis(api_of(JOBS), api_of(new))) == bump


def test_no_change_is_a_patch():
    assert changes_of(JOBS, JOBS) == []
    assert suggested_bump([]) == "patch"


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        ("str", "str", True),
        ("str | int", "str", True),
        ("str", "str | int", False),
        ("str | None", "str", True),
        ("Any", "Dict[str, Any]", True),
        ("float", "int", True),
        ("int", "float", False),
        ("List[str | int]", "List[str]", True),
        ("List[str]", "List[str | int]", False),
        ("Dict[str, float]", "Dict[str, int]", True),
        ("Literal['a', 'b']", "Literal['a']", True),
        ("Literal['a']", "Literal['a', 'b']", False),
        ("str", "Literal['a', 'b|c']", True),
        ("int", "Literal['a']", False),
        ("Union[Annotated[A, Tag('a')], Annotated[B, Tag('b')]]", "A", True),
        ("A | B", "Annotated[Union[Annotated[A, Tag('a')], Annotated[B, Tag('b')]], Discriminator(x)]", True),
    ],
)
def test_covers(new: str, old: str, expected: bool):
    assert covers(new, old) is expected


# --------------------------------------------------------------- the edits, CLI


def test_diff_of_the_shop_edits_exact_classification(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "old.yaml").write_text(SHOP)
    (tmp_path / "new.yaml").write_text(edit_all(SHOP))
    code, out, _ = run(tmp_path, "diff", "old.yaml", "new.yaml", "--format", "json", monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 0
    data = json.loads(out)
    assert data["bump"] == "major"
    assert data["counts"] == {"breaking": 3, "compatible": 1, "additions": 1}
    assert [(c["kind"], c["action"], c["subject"], c["detail"], c["breaking"]) for c in data["changes"]] == [
        ("resource", "removed", "items", "removed", True),
        ("method", "removed", "items.delete", "removed (`DELETE /items/{item_id}`)", True),
        ("parameter", "added", "orders.list", "required query parameter `customer: str` added", True),
        ("enum", "added", "OrderStatus", "value 'cancelled' (`CANCELLED`) added", False),
    ]
    assert data["old"] == {"spec": "old.yaml", "title": "Shop API", "version": "1.0.0"}
    # --fail-on breaking: exit 1 on the same input; each edit alone classified as in the issue
    code, _, _ = run(tmp_path, "diff", "old.yaml", "new.yaml", "--fail-on", "breaking", "-q",
                     monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    (tmp_path / "enum.yaml").write_text(add_enum_value(SHOP))
    code, out, _ = run(tmp_path, "diff", "old.yaml", "enum.yaml", "--fail-on", "breaking",
                       monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert out.splitlines()[1] == "suggested version bump: minor (0 breaking, 1 compatible of which 1 additions)"
    for edit in (remove_operation, add_required_parameter):
        assert changes_of(SHOP, edit(SHOP)) and all(c[3] for c in changes_of(SHOP, edit(SHOP)))
    code, _, _ = run(tmp_path, "diff", "old.yaml", "enum.yaml", "--fail-on", "any", "-q",
                     monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1


def test_text_and_markdown_reports():
    old, new = api_of(JOBS), api_of(
        JOBS.replace("        label: {type: string}", "        label: {type: [string, integer]}")
        .replace("[queued, running, done]", "[queued, running, done, failed]")
    )
    changes = diff_apis(old, new)
    a, b = Side("git:main:jobs.yaml", "Jobs API", "1.0.0"), Side("jobs.yaml", "Jobs API", "1.1.0")
    text = report_text(a, b, changes)
    assert text.splitlines() == [
        "Jobs API 1.0.0 -> 1.1.0  (git:main:jobs.yaml -> jobs.yaml)",
        "suggested version bump: major (1 breaking, 1 compatible of which 1 additions)",
        "",
        "breaking (1):",
        "  ! field     Job.label: type widened: `str | None` -> `str | int | None`",
        "",
        "compatible (1):",
        "  + enum      JobState: value 'failed' (`FAILED`) added",
    ]
    md = report_markdown(a, b, changes)
    assert md.splitlines() == [
        "## API changes: Jobs API 1.0.0 -> 1.1.0",
        "",
        "**Suggested version bump: major** · 1 breaking · 1 compatible (1 additions)",
        "",
        "<sub>`oagen diff git:main:jobs.yaml jobs.yaml`</sub>",
        "",
        "### Breaking changes (1)",
        "",
        "| kind | what | change |",
        "| --- | --- | --- |",
        "| Model fields | `Job.label` | type widened: `str \\| None` -> `str \\| int \\| None` |",
        "",
        "### Compatible changes (1)",
        "",
        "| kind | what | change |",
        "| --- | --- | --- |",
        "| Enum values | `JobState` | value 'failed' (`FAILED`) added |",
    ]
    assert "No change" in report_markdown(a, b, [])


def test_git_revisions(tmp_path: Path, monkeypatch, capsys):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "shop.yaml"
    spec.write_text(SHOP)

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    spec.write_text(add_enum_value(SHOP))
    git("commit", "-q", "-am", "v2")
    spec.write_text(edit_all(SHOP))  # the working tree: v3
    code, out, err = run(repo, "diff", "git:HEAD~1:specs/shop.yaml", "git:HEAD:specs/shop.yaml", "--format",
                         "json", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["old"]["spec"] == "git:HEAD~1:specs/shop.yaml"
    assert [(c["kind"], c["action"]) for c in data["changes"]] == [("enum", "added")]
    code, out, _ = run(repo, "diff", "git:HEAD:specs/shop.yaml", "specs/shop.yaml", "--format", "json",
                       monkeypatch=monkeypatch, capsys=capsys)
    assert json.loads(out)["counts"]["breaking"] == 3
    # bad input: exit 2 and one located line
    code, out, err = run(repo, "diff", "git:nope:specs/shop.yaml", "specs/shop.yaml", monkeypatch=monkeypatch,
                         capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith("git:nope:specs/shop.yaml: error: git show nope:specs/shop.yaml failed: ")
    code, _, err = run(repo, "diff", "git:HEAD", "specs/shop.yaml", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "expected git:REV:PATH" in err
    (repo / "broken.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    git("add", "broken.yaml")
    git("commit", "-q", "-m", "broken")
    code, _, err = run(repo, "diff", "git:HEAD:broken.yaml", "specs/shop.yaml", monkeypatch=monkeypatch,
                       capsys=capsys)
    assert code == 2 and err.startswith("HEAD:broken.yaml:")


# --------------------------------------------------------------------- the real pair


def test_seed_together_against_the_corpus():
    corpus = CORPUS / "together.yaml"
    if not corpus.is_file():
        pytest.skip(f"the corpus is not here: {corpus} (a sibling checkout of ../shared/corpus)")
    client = client_for_spec(REPO / "specs" / "together.yaml", Path("together"), "Together")
    old = build_api(load_document(REPO / "specs" / "together.yaml"), client, validate=False)[0]
    new = build_api(load_document(corpus), client, validate=False)[0]
    changes = diff_apis(old, new)
    by = {(c.kind, c.action, c.subject) for c in changes}
    # the full spec adds the rest of the fine-tuning API and whole resources
    for accessor in ("fine_tuning.create", "fine_tuning.list", "fine_tuning.retrieve", "fine_tuning.list_events"):
        assert ("method", "added", accessor) in by, accessor
    for resource in ("chat", "files", "models", "embeddings"):
        assert ("resource", "added", resource) in by, resource
    # the one seed operation is still there, with the same signature and return type
    assert not [c for c in changes if c.subject == "fine_tuning.cancel" and c.kind != "docs"]
    # the corpus' FinetuneResponseTruncated only gains optional fields: compatible
    fields = [c for c in changes if c.subject.startswith("FinetuneResponseTruncated.")]
    assert fields and all(c.action == "added" and not c.breaking for c in fields)
    assert ("field", "added", "FinetuneResponseTruncated.started_at") in by
    # what it finds, in short: additions only (plus a new default base URL and documentation)
    assert not [c for c in changes if c.breaking]
    assert suggested_bump(changes) == "minor"
    assert ("client", "changed", "base_url") in by
