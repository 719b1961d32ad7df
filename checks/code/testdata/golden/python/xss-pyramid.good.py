from markupsafe import escape
from pyramid.request import Response
from pyramid.view import view_config


@view_config(route_name="greet")
def greet(request):
    name = request.params.get("name", "")
    return Response("<p>Hello {}</p>".format(escape(name)))


@view_config(route_name="item", renderer="templates/item.jinja2")
def item(request):
    request.response.text = "<h1>Item</h1>"
    return {"slug": request.matchdict["slug"]}
