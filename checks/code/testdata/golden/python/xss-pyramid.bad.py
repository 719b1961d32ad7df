from pyramid.request import Response
from pyramid.view import view_config


@view_config(route_name="greet")
def greet(request):
    name = request.params.get("name", "")
    page = "<p>Hello {}</p>".format(name)
    return Response(page)


@view_config(route_name="item")
def item(request):
    request.response.text = "<h1>%s</h1>" % request.matchdict["slug"]
    return request.response
