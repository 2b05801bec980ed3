"""The API's marshmallow schemas, one module per resource: they parse requests and write the
OpenAPI document (flask-smorest), so the document is the code."""
