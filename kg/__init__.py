"""kg: Wikipedia articles about political internationals into typed records and RDF."""

__version__ = "0.2.0"
