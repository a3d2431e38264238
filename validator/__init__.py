"""Validate, link-check and cross-check a catalog of open LLMs kept as YAML files."""

__version__ = "0.1.0"
USER_AGENT = f"open-models-validator/{__version__} (+https://github.com/open-models/validator)"

__all__ = ["USER_AGENT", "__version__"]
