"""The portal's icon: browsers ask for /favicon.ico on every page, signed in or not."""


def test_favicon_ico_leads_a_stranger_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg")


def test_every_page_links_the_icon_in_its_head(client):
    page = client.get("/logga-in").get_data(as_text=True)
    head = page.split("</head>")[0]
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in head
