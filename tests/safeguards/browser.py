"""What a browser sends when someone types into a page and presses one of its buttons.

Only the fields of the form that holds the button are sent, with the button's own name and value:
typing into a field of another form on the same page is lost, exactly as in a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class _Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[list[str]] = field(default_factory=list)  # name, value, label


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.names: set[str] = set()
        self._form: _Form | None = None
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = _Form(attrs.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._button = [name or "", attrs.get("value", ""), ""]
            self._form.buttons.append(self._button)
        elif not name and tag != "option":
            return
        elif tag == "input":
            self.names.add(name)
            kind = (attrs.get("type") or "text").lower()
            if kind == "submit":
                self._form.buttons.append([name, attrs.get("value", ""), attrs.get("value", "")])
            elif kind not in ("checkbox", "radio") or "checked" in attrs:
                self._form.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea":
            self.names.add(name)
            self._textarea, self._text = name, ""
        elif tag == "select":
            self.names.add(name)
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None
        elif tag == "textarea" and self._textarea is not None:
            # as a browser parses it: line breaks become "\n" and one leading line break is dropped
            text = self._text.replace("\r\n", "\n").removeprefix("\n")
            self._form.fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _selected in self._options[:1]
            ]
            self._form.fields.extend((self._select, value) for value in chosen)
            self._select = None


def press(html: str, button: str, typed: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The form holding ``button`` (matched by its name, value or label): its action and what is sent.

    ``typed`` holds what the person typed into fields anywhere on the page (each must exist there).
    """
    reader = _Reader()
    reader.feed(html)
    missing = set(typed) - reader.names
    assert not missing, f"no such fields on the page: {sorted(missing)}"
    for form in reader.forms:
        pressed = next((b for b in form.buttons if button in (b[0], b[1], b[2].strip())), None)
        if pressed is None:
            continue
        data = dict(form.fields)
        data.update({name: value for name, value in typed.items() if name in data})
        if pressed[0]:
            data[pressed[0]] = pressed[1]
        return form.action, data
    raise AssertionError(f"no button {button!r} on the page")
