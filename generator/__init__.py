"""oagen: vendored OpenAPI documents in, typed Python clients out."""

__version__ = "0.1.0"
