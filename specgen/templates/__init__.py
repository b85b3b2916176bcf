"""The bundled templates and reference.docx, shipped as package data (specgen.templates)."""
