"""A consultation page writes each contribution's co-sign fields out (governance/_cosign.html) instead of
building a CosignForm per contribution: the markup must stay what the form gives, in every language,
with names to escape."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from consortium.governance.forms import CosignForm

FORM = '{% from "macros/forms.html" import field %}{{ form.hidden_tag() }}{{ field(form.organisation_id) }}'
WRITTEN_OUT = (
    '{% from "governance/_cosign.html" import cosign_fields %}{{ cosign_fields(12, organisations) }}'
)


def _between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_written_out_cosign_fields_match_the_form(app, language):
    organisations = [SimpleNamespace(id=3, name='Red "A" & <B>'), SimpleNamespace(id=41, name="Cepei")]
    with app.test_request_context(), force_locale(language):
        form = CosignForm(prefix="k12", organisations=organisations, formdata=None)
        built = render_template_string(FORM, form=form)
        written = render_template_string(WRITTEN_OUT, organisations=organisations)
    assert _between_tags(written) == _between_tags(built)
    assert "Red &#34;A&#34; &amp; &lt;B&gt;" in written
