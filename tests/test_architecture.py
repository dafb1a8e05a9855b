"""The codebase keeps its shape: every endpoint public or protected (after CKAN's coding-standards test),
every permission checked somewhere, every text input validated."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("consortium", "trainings", "safeguards")

# Endpoints served by libraries, not by our views.
LIBRARY_ENDPOINTS = {"static", "api-docs.openapi_json"}


def test_every_endpoint_is_public_or_protected(app):
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in LIBRARY_ENDPOINTS or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if not (getattr(view, "is_public", False) or getattr(view, "is_protected", False)):
            unmarked.append(rule.endpoint)
    assert unmarked == [], f"mark these views with @public or @require: {unmarked}"


def test_protected_views_refuse_anonymous_visitors(app, client):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "is_protected", False) or "GET" not in rule.methods or rule.arguments:
            continue
        response = client.get(rule.rule)
        assert response.status_code in (302, 401), f"{rule.rule} answered {response.status_code} to anonymous"


def _source_files(*suffixes):
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.suffix in suffixes and path.is_file():
                yield path


def test_every_permission_is_checked_somewhere():
    """A permission only a role table mentions guards nothing: check it (``require``, ``can``,
    ``visible_or_404`` or a policy) or remove it."""
    from consortium.permissions import Permission

    defined_in = ROOT / "consortium" / "permissions.py"
    used = set()
    for path in _source_files(".py", ".html"):
        if path != defined_in:
            used.update(re.findall(r"\bPermission\.([A-Z_]+)\b", path.read_text(encoding="utf-8")))
    unchecked = sorted(p.name for p in Permission if p.name not in used)
    assert unchecked == [], f"nothing checks these permissions: {unchecked}"


MAX_LINES = 400


def test_no_source_file_grows_past_400_lines():
    """A module past 400 lines has more than one job: make it a package (docs/architecture.md)."""
    too_long = []
    for directory in (*SOURCE_DIRS, "tests"):
        for path in sorted((ROOT / directory).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            name = str(path.relative_to(ROOT))
            if lines > MAX_LINES:
                too_long.append(f"{name} ({lines})")
    assert too_long == [], f"split these modules: {too_long}"


_FEATURE_PREFIXES = {
    "trainings": "trainings_",
    "safeguards": "safeguards_",
    "consortium.library": "library_",
    "consortium.governance": "governance_",
}


def _feature_of(thing) -> str | None:
    module = getattr(thing, "__module__", "") or ""
    return next((f for f in _FEATURE_PREFIXES if module == f or module.startswith(f + ".")), None)


def test_features_register_only_namespaced_template_names(app):
    """A feature's template global or filter starts with its name, so two features never collide."""
    wrong = []
    for kind, names in (("filter", app.jinja_env.filters), ("global", app.jinja_env.globals)):
        for name, value in names.items():
            feature = _feature_of(value)
            if feature and not name.startswith(_FEATURE_PREFIXES[feature]):
                wrong.append(f"{kind} {name} ({feature})")
    with app.test_request_context("/"):
        for processors in app.template_context_processors.values():
            for processor in processors:
                feature = _feature_of(processor)
                if feature:
                    prefix = _FEATURE_PREFIXES[feature]
                    wrong += [f"context {n} ({feature})" for n in processor() if not n.startswith(prefix)]
    assert wrong == []


# Text input ------------------------------------------------------------------------------------------------

_OUR_PACKAGES = ("consortium", "trainings", "safeguards")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_text_fields():
    """(form, field name, field class, validators) of every text field of every form the app defines."""
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.fields.core import UnboundField

    for form in set(_subclasses(FlaskForm)):
        if not form.__module__.startswith(_OUR_PACKAGES):
            continue
        for name in dir(form):
            unbound = getattr(form, name)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, StringField):
                validators = unbound.kwargs.get("validators") or (unbound.args[1:2] or [()])[0]
                yield f"{form.__module__}.{form.__name__}.{name}", unbound.field_class, list(validators)


def test_every_form_text_field_refuses_control_characters(app):
    """So new fields get the rules: one-line ``SingleLine``, multi-line ``PlainText``, addresses ``Link``."""
    from wtforms import EmailField, HiddenField, PasswordField, TextAreaField, URLField
    from wtforms.validators import Email

    from consortium.forms import Link, PlainText, SingleLine

    missing = []
    for where, field_class, validators in _form_text_fields():
        kinds = {type(v) for v in validators}
        if issubclass(field_class, PasswordField | HiddenField):
            continue  # passwords are only hashed; hidden fields carry the page's values, parsed where used
        if issubclass(field_class, TextAreaField):
            wanted = PlainText
        elif issubclass(field_class, EmailField):
            wanted = Email  # email_validator refuses controls, spaces, bidi and zero-width characters itself
        else:
            wanted = SingleLine if not issubclass(field_class, URLField) else Link
        if wanted not in kinds:
            missing.append(f"{where} needs {wanted.__name__}()")
        if ("url" in where.rsplit(".", 1)[1] or "link" in where.rsplit(".", 1)[1]) and Link not in kinds:
            missing.append(f"{where} needs Link()")
    assert missing == []


def _input_schemas(app):
    """Every schema an endpoint reads its arguments with (flask-smorest's ``@blp.arguments``)."""
    from marshmallow import Schema

    for endpoint, view in app.view_functions.items():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = parameter["schema"]
            yield endpoint, schema if isinstance(schema, Schema) else schema()


def _loaded_strings(schema, path=""):
    """(path, field) of every string the schema loads, inside lists, dicts and nested schemas too."""
    from marshmallow import fields

    def walk(field, where):
        if field.dump_only:
            return
        if isinstance(field, fields.String):
            yield where, field
        elif isinstance(field, fields.List):
            yield from walk(field.inner, f"{where}[]")
        elif isinstance(field, fields.Dict):
            for part, inner in (("keys", field.key_field), ("values", field.value_field)):
                if inner is not None:
                    yield from walk(inner, f"{where}.{part}")
        elif isinstance(field, fields.Nested):
            yield from _loaded_strings(field.schema, f"{where}.")

    for name, field in schema.fields.items():
        yield from walk(field, f"{path}{name}")


def test_every_api_input_string_refuses_control_characters(app):
    from marshmallow import fields, validate

    from consortium.schemas import Link, PlainText, SingleLine

    checked, missing = 0, []
    for endpoint, schema in _input_schemas(app):
        for where, field in _loaded_strings(schema):
            checked += 1
            kinds = {type(v) for v in field.validators}
            if not kinds & {SingleLine, PlainText, Link, validate.OneOf}:  # Link refuses controls, too
                missing.append(
                    f"{endpoint}: {type(schema).__name__}.{where} needs SingleLine() or PlainText()"
                )
            is_address = isinstance(field, fields.Url) or "url" in where or "link" in where
            if is_address and Link not in kinds:
                missing.append(f"{endpoint}: {type(schema).__name__}.{where} needs Link()")
    assert checked > 30 and missing == []


# Reading never writes -------------------------------------------------------------------------------------

_WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def writes_per_request(app, db):
    """Records, for each request, the write statements it ran and the objects its session was left holding."""
    from flask import request_finished

    seen: list[str] = []

    def statement(conn, cursor, sql, parameters, context, executemany):
        if sql.lstrip().upper().startswith(_WRITES):
            seen.append(sql.split("(")[0][:80])

    def finished(sender, response, **extra):
        pending = [*db.session.new, *db.session.dirty, *db.session.deleted]
        seen.extend(f"pending {type(obj).__name__}" for obj in pending)

    sa.event.listen(db.engine, "before_cursor_execute", statement)
    request_finished.connect(finished, app)
    try:
        yield seen
    finally:
        request_finished.disconnect(finished, app)
        sa.event.remove(db.engine, "before_cursor_execute", statement)


def _get_urls(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.endpoint.endswith("static"):
            yield rule.rule
    yield "/language?lang=en"  # the language switcher


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_get_requests_write_nothing(app, client, login_as, writes_per_request, who, request):
    if who != "anonymous":
        login_as(request.getfixturevalue(who))
    writers = {}
    for url in _get_urls(app):
        writes_per_request.clear()
        client.get(url)
        if writes_per_request:
            writers[url] = sorted(set(writes_per_request))
    assert writers == {}


def test_only_the_unit_of_work_commits_or_rolls_back():
    """Views, services and helpers act inside ``transaction.action()``; nobody else ends a transaction."""
    offenders = []
    for package in ("consortium", "trainings", "safeguards"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "transaction.py" and path.parent.name == "consortium":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\bsession\.(commit|rollback)\(", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def _lines_matching(pattern: str, *, allowed: set[str]) -> list[str]:
    found = []
    for package in SOURCE_DIRS:
        for path in (ROOT / package).rglob("*.py"):
            where = str(path.relative_to(ROOT))
            if where in allowed:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(pattern, line):
                    found.append(f"{where}:{number}")
    return found


def test_writes_commit_only_when_their_action_ends():
    """Views, the API and the command line write inside ``transaction.action()``, never commit by hand."""
    assert _lines_matching(r"\btransaction\.commit\(", allowed={"consortium/transaction.py"}) == []


def test_the_current_person_is_read_in_one_place():
    """``consortium.users.current_person()`` unwraps Flask-Login's proxy; nobody else does."""
    assert _lines_matching(r"_get_current_object\(", allowed={"consortium/users/__init__.py"}) == []


def test_every_select_and_form_is_the_kernels():
    """Selects come from ``consortium.forms.SelectField``: WTForms' own writes each option through
    ``html_params``, half of the account page's rendering with its time zones. Forms come from
    ``consortium.forms.FlaskForm``: Flask-WTF's own reads WTForms' catalogue from disk on every request."""
    kernel_only = {"wtforms": "SelectField", "flask_wtf": "FlaskForm"}
    offenders = []
    for package in SOURCE_DIRS:
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "consortium" / "forms.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ImportFrom):
                    continue
                name = kernel_only.get((node.module or "").split(".")[0])
                if any(alias.name == name for alias in node.names):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_scrolling_tables_come_from_one_macro():
    """A wide table's scrolling region (focusable, named) is written once, in ``macros/ui.html``'s
    ``scroll_table``: copies of it drift, and a fix to its accessibility would have to find them all."""
    macros = ROOT / "consortium" / "templates" / "macros" / "ui.html"
    written = [
        str(path.relative_to(ROOT))
        for path in _source_files(".html")
        if path != macros and 'class="table-scroll"' in path.read_text(encoding="utf-8")
    ]
    assert written == []
