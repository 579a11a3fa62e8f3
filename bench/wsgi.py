"""The portal as gunicorn serves it in the benchmark, plus the floor page.

The floor page is the yardstick each real page is measured against in the same run: the same
base layout and a 20-row table from in-memory data, behind the same login check (the user is
loaded as on every page) but with no other query. Its template is compiled once, as the
portal's own templates are.
"""

from flask import render_template
from flask_login import login_required

from portal import create_app, prepare_to_serve

FLOOR_TEMPLATE = """{% extends "base.html" %}
{% block title %}Golv{% endblock %}
{% block content %}
<h1>Golv</h1>
<table><caption>Rader</caption>
<thead><tr><th scope="col">Namn</th><th scope="col">Status</th>
<th scope="col">Belopp</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.status }}</td>
<td class="number">{{ row.amount|money }}</td></tr>{% endfor %}</tbody></table>
{% endblock %}"""

ROWS = [{"name": f"Projekt {n}", "status": "Pågående", "amount": n * 123_400} for n in range(20)]

app = create_app()
prepare_to_serve(app)
FLOOR = app.jinja_env.from_string(FLOOR_TEMPLATE)


@app.route("/_bench/golv")
@login_required
def floor():
    return render_template(FLOOR, rows=ROWS)
